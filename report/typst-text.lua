-- Text stays text in the PDF. Pandoc's Typst writer escapes Typst's markup characters in a
-- string but leaves some of Typst's shorthands as they are (Typst reference, "Syntax",
-- shorthands in markup): "..." is set as an ellipsis, "-?" as a soft hyphen and, by the pandoc
-- that Quarto 1.7 bundles, "--" as a dash. This filter writes each with backslash escapes, so
-- that a label a user wrote with them is set verbatim. Prose is not affected: pandoc's smart
-- typography has already made its "..." an ellipsis and its "--" a dash.
--
-- A link to a sibling document's HTML (the paper's to its supplement and back, "supplement.html"
-- or "paper.html#sec-audit") points to that document's PDF in the PDF: "supplement.pdf", without
-- the fragment, which names an HTML element.
if FORMAT ~= "typst" then
  return {}
end

local TOKENS = { "...", "-?", "--" }

function Str(el)
  local s, out, i = el.text, {}, 1
  while true do
    local at, tok
    for _, t in ipairs(TOKENS) do
      local a = s:find(t, i, true)
      if a and (not at or a < at) then at, tok = a, t end
    end
    if not at then break end
    if at > i then table.insert(out, pandoc.Str(s:sub(i, at - 1))) end
    table.insert(out, pandoc.RawInline("typst", (tok:gsub(".", "\\%0"))))
    i = at + #tok
  end
  if #out == 0 then return nil end
  if i <= #s then table.insert(out, pandoc.Str(s:sub(i))) end
  return out
end

function Link(el)
  local stem = el.target:match("^([%w-]+)%.html")
  if stem then
    el.target = stem .. ".pdf"
    return el
  end
end
