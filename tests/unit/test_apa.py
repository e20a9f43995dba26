from analysis.paper import apa
from analysis.wording import count_phrase, join, share_phrase


def test_apa_formats():
    assert apa.p(0.0234) == "*p* = .023"
    assert apa.p(2e-9) == "*p* < .001"
    assert apa.p(0.9996) == "*p* = 1.000"
    assert apa.chi2(261.558, 3, 215, 1e-50) == "\u03c7\u00b2(3, *N* = 215) = 261.56, *p* < .001"
    assert apa.t(10.064, 214, 0.0004) == "*t*(214) = 10.06, *p* < .001"
    assert apa.z(-2.4, 0.033, "p~Holm~") == "*z* = \u22122.40, *p~Holm~* = .033"
    assert apa.kendall_w(0.4055) == "*W* = .41"
    assert apa.ci(0.1234, 0.5, 1, "%") == "95% CI [0.1%, 0.5%]"


def test_wording_changes_with_the_numbers():
    assert share_phrase(100, 100) == "in all 100 reconstructions"
    assert share_phrase(0, 100) == "in none of the 100 reconstructions"
    assert share_phrase(63, 100) == "in 63 of the 100 reconstructions"
    assert share_phrase(845, 1000) == "in 845 of the 1,000 reconstructions"
    assert join(["a"]) == "a" and join(["a", "b"]) == "a and b" and join(["a", "b", "c"]) == "a, b and c"
    assert count_phrase(1, "risk") == "one risk" and count_phrase(3, "risk") == "three risks"
