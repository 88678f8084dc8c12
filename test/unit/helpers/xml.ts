/**
 * A strict little XML reader for tests: enough of XML 1.0 to prove that the CXML writer's output
 * is well-formed and to read back its tree. Throws on anything it does not understand.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
// XML 1.0 Char production.
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(raw: string, where: string): string {
  if (INVALID_CHAR.test(raw)) throw new Error(`invalid XML character in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    const value = name === undefined ? undefined : ENTITY[name];
    if (value === undefined) throw new Error(`bad entity ${JSON.stringify(whole)} in ${where}`);
    return value;
  });
}

export function parseXml(input: string): { declaration: string; root: XmlElement } {
  let pos = 0;
  const declaration = /^<\?xml [^?]*\?>/.exec(input)?.[0] ?? "";
  pos = declaration.length;

  const expect = (s: string) => {
    if (!input.startsWith(s, pos)) throw new Error(`expected ${JSON.stringify(s)} at ${pos}: ${input.slice(pos, pos + 20)}`);
    pos += s.length;
  };
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos] ?? "")) pos++;
  };
  const readName = (): string => {
    const m = NAME.exec(input.slice(pos));
    if (!m) throw new Error(`expected a name at ${pos}`);
    pos += m[0].length;
    return m[0];
  };

  const readElement = (): XmlElement => {
    expect("<");
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (input.startsWith("/>", pos)) {
        pos += 2;
        return { name, attrs, children: [] };
      }
      if (input.startsWith(">", pos)) {
        pos += 1;
        break;
      }
      if (pos === before) throw new Error(`expected whitespace before an attribute at ${pos}`);
      const attr = readName();
      if (attr in attrs) throw new Error(`duplicate attribute ${attr}`);
      expect('="');
      const end = input.indexOf('"', pos);
      if (end < 0) throw new Error("unterminated attribute");
      const raw = input.slice(pos, end);
      if (raw.includes("<")) throw new Error(`"<" inside attribute ${attr}`);
      attrs[attr] = decode(raw, `attribute ${attr}`);
      pos = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (pos >= input.length) throw new Error(`unclosed <${name}>`);
      if (input.startsWith("</", pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) throw new Error(`</${closing}> closes <${name}>`);
        expect(">");
        return { name, attrs, children };
      }
      if (input.startsWith("<", pos)) {
        children.push(readElement());
        continue;
      }
      const next = input.indexOf("<", pos);
      const end = next < 0 ? input.length : next;
      const raw = input.slice(pos, end);
      if (raw.includes(">")) throw new Error(`raw ">" in text of <${name}>`);
      children.push(decode(raw, `text of <${name}>`));
      pos = end;
    }
  };

  const root = readElement();
  if (pos !== input.length) throw new Error(`trailing content after the root: ${input.slice(pos, pos + 20)}`);
  return { declaration, root };
}

/** The text content of an element (its string children joined). */
export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === "string").join("");
}

export function elementsOf(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== "string");
}
