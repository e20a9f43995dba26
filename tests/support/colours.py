"""Colour-vision-deficiency checks: Machado, Oliveira & Fernandes (2009) simulation matrices
(severity 1.0) applied in linear RGB, and CIE76 colour differences in CIELAB."""

from __future__ import annotations

import numpy as np

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(rgb):
    rgb = np.asarray(rgb, float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(lin):
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def min_difference(colours) -> dict[str, float]:
    """The smallest CIE76 difference between any two of ``colours`` (RGB in 0..1), with normal
    vision and under each simulated deficiency."""
    if len(colours) < 2:
        return {name: float("inf") for name in ("normal", *MACHADO)}
    lin = np.clip(_linear(np.asarray(colours, float)[:, :3]), 0, 1)
    out = {}
    for name, m in {"normal": np.eye(3), **MACHADO}.items():
        lab = _lab(np.clip(lin @ np.asarray(m).T, 0, 1))
        d = np.linalg.norm(lab[:, None, :] - lab[None, :, :], axis=-1)
        out[name] = float(d[np.triu_indices(len(lab), 1)].min()) if len(lab) > 1 else float("inf")
    return out
