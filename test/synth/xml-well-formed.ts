/**
 * A strict, small XML well-formedness check for the generated SVG (no XML parser ships with
 * Node): one root element, tags balanced and properly nested, attributes quoted and unique,
 * only the five predefined entities or numeric references, no stray '<' or '&'.
 * Returns the element names in document order.
 */
const NAME = '[A-Za-z_:][-A-Za-z0-9._:]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y');
const TAG_END = /\s*(\/?)>/y;
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function checkText(text: string, at: number): void {
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(text)) throw new Error(`bad entity reference at ${at + i}: ${text.slice(i, i + 12)}`);
  }
  if (text.includes('>') && text.includes(']]>')) throw new Error(`"]]>" in text at ${at}`);
}

export function wellFormedElements(xml: string): string[] {
  const stack: string[] = [];
  const elements: string[] = [];
  let rootClosed = false;
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    checkText(text, i);
    if (text.trim() !== '' && stack.length === 0) throw new Error(`text outside the root element at ${i}`);
    if (lt === -1) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) throw new Error(`unterminated comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const match = new RegExp(`</(${NAME})\\s*>`, 'y');
      match.lastIndex = i;
      const m = match.exec(xml);
      if (!m) throw new Error(`malformed end tag at ${i}`);
      const open = stack.pop();
      if (open !== m[1]) throw new Error(`</${m[1]}> at ${i} closes <${open ?? 'nothing'}>`);
      if (stack.length === 0) rootClosed = true;
      i = match.lastIndex;
      continue;
    }
    const start = new RegExp(`<(${NAME})`, 'y');
    start.lastIndex = i;
    const m = start.exec(xml);
    if (!m) throw new Error(`stray "<" at ${i}`);
    if (rootClosed) throw new Error(`second root element <${m[1]}> at ${i}`);
    const name = m[1]!;
    let j = start.lastIndex;
    const seen = new Set<string>();
    for (;;) {
      ATTRIBUTE.lastIndex = j;
      const a = ATTRIBUTE.exec(xml);
      if (!a) break;
      if (seen.has(a[1]!)) throw new Error(`attribute ${a[1]} twice on <${name}> at ${i}`);
      seen.add(a[1]!);
      checkText(a[2]!.slice(1, -1), j);
      j = ATTRIBUTE.lastIndex;
    }
    TAG_END.lastIndex = j;
    const end = TAG_END.exec(xml);
    if (!end) throw new Error(`malformed start tag <${name}> at ${i}: ${xml.slice(j, j + 30)}`);
    elements.push(name);
    if (end[1] !== '/') stack.push(name);
    else if (stack.length === 0) rootClosed = true;
    i = TAG_END.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  if (!rootClosed) throw new Error('no root element');
  return elements;
}
