/*
 * A small Markdown preview for submission bodies: headings (#..######),
 * paragraphs, "-"/"*" and "1." lists, > quotes, **bold**, *italic* and
 * `code`.  Everything is HTML-escaped first, so the result is safe to bind
 * with v-html; what it does not know stays as plain text.
 */
function escape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function inline(s) {
  return escape(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
}

export function renderMarkdown(text) {
  const out = []
  let para = []
  let list = null
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`)
    para = []
  }
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`)
    list = null
  }
  for (const line of (text || '').replace(/\r\n?/g, '\n').split('\n')) {
    let m
    if (!line.trim()) {
      flushPara()
      flushList()
    } else if ((m = /^(#{1,6})\s+(.*)$/.exec(line))) {
      flushPara()
      flushList()
      out.push(`<h${m[1].length}>${inline(m[2])}</h${m[1].length}>`)
    } else if ((m = /^\s*(?:[-*]|(\d+)[.、])\s+(.*)$/.exec(line))) {
      flushPara()
      const tag = m[1] ? 'ol' : 'ul'
      if (list && list.tag !== tag) flushList()
      if (!list) list = { tag, items: [] }
      list.items.push(m[2])
    } else if ((m = /^>\s?(.*)$/.exec(line))) {
      flushPara()
      flushList()
      out.push(`<blockquote>${inline(m[1])}</blockquote>`)
    } else {
      flushList()
      para.push(line)
    }
  }
  flushPara()
  flushList()
  return out.join('\n')
}
