/*
 * The source text of a plan import cut into runs for highlighting: each
 * extraction of the preview points back to its span of the text in code
 * points (source.char_start, source.char_end; JavaScript strings count
 * UTF-16 units, so the text is split into code points first).  Spans may
 * overlap (an obligation inside the committee's paragraph); each run takes
 * the span of highest priority covering it, the shortest among equals.
 *
 *   spans  [{start, end, kind, index, priority}]
 *   -> [{text, span|null}] covering the whole text in order
 */
export function highlightRuns(text, spans) {
  const cps = Array.from(text)
  const n = cps.length
  const ok = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start < s.end && s.start >= 0 && s.end <= n)
  const cuts = new Set([0, n])
  for (const s of ok) {
    cuts.add(s.start)
    cuts.add(s.end)
  }
  const points = [...cuts].sort((a, b) => a - b)
  const runs = []
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]
    const b = points[i + 1]
    let best = null
    for (const s of ok) {
      if (s.start > a || s.end < b) continue
      if (!best || s.priority > best.priority || (s.priority === best.priority && s.end - s.start < best.end - best.start)) best = s
    }
    const piece = cps.slice(a, b).join('')
    const last = runs[runs.length - 1]
    if (last && last.span === best) last.text += piece
    else runs.push({ text: piece, span: best })
  }
  return runs
}
