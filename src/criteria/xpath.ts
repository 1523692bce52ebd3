// Criterion Object and Expression Type Object: `xpath` conditions and selections (XPath 3.1 by default).
import { createRequire } from 'node:module';

type Fontoxpath = typeof import('fontoxpath');
type Xmldom = typeof import('@xmldom/xmldom');

/** What this module uses of the `xpath` package (XPath 1.0); its own typings pull in the DOM lib. */
interface XPath10 {
  select(expression: string, node: unknown): unknown;
}

/** Versions of the Expression Type Object for XPath. */
export const XPATH_VERSIONS: readonly string[] = ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'];

/** Longest XML context parsed; larger documents fail the criterion. */
export const MAX_XML_INPUT = 4 * 1024 * 1024;

let libs: { fx: Fontoxpath; xmldom: Xmldom } | undefined;
let xpath10: XPath10 | undefined;
const lazyRequire = createRequire(import.meta.url);

/** Loaded on first use: XPath criteria are rare and fontoxpath is large. */
function load(): { fx: Fontoxpath; xmldom: Xmldom } {
  if (libs === undefined) {
    libs = { fx: lazyRequire('fontoxpath') as Fontoxpath, xmldom: lazyRequire('@xmldom/xmldom') as Xmldom };
  }
  return libs;
}

/** XPath 1.0 is a different language (doubles only, node-set comparisons, no 2.0 functions): its own engine. */
function load10(): XPath10 {
  xpath10 ??= lazyRequire('xpath') as XPath10;
  return xpath10;
}

function parseXml(text: string): unknown {
  if (text.length > MAX_XML_INPUT) throw new Error(`XML context is larger than ${MAX_XML_INPUT} characters`);
  const { xmldom } = load();
  const parser = new xmldom.DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') throw new Error(`context is not well-formed XML: ${message}`);
    },
  });
  return parser.parseFromString(text, 'text/xml');
}

/** XPath 1.0 "Boolean Conversions" (section 4.2) of a result of the `xpath` package. */
function boolean10(result: unknown): boolean {
  if (Array.isArray(result)) return result.length > 0;
  if (typeof result === 'number') return result !== 0 && !Number.isNaN(result);
  if (typeof result === 'string') return result !== '';
  return result === true || (typeof result === 'object' && result !== null);
}

/**
 * Evaluate an XPath expression on an XML string and return its effective boolean value. `xpath-10` runs on
 * an XPath 1.0 engine (section 4.2 conversions); the other versions run on fontoxpath's XPath 3.1, whose
 * effective boolean value rules are those of 2.0 and 3.0 too (a sequence of several atomic values is an
 * error there). Throws with a readable message on bad XML or XPath.
 */
export function evaluateXPathCondition(expression: string, xml: string, version = 'xpath-31'): boolean {
  const doc = parseXml(xml);
  if (version === 'xpath-10') return boolean10(load10().select(expression, doc));
  const { fx } = load();
  return fx.evaluateXPathToBoolean(expression, doc, null, null, {
    language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
  });
}

interface DomNode {
  nodeType: number;
  textContent?: string | null;
  nodeValue?: string | null;
  childNodes?: { length: number; [i: number]: DomNode };
}

/** An element with element children is XML (serialized); any other node is its string value. */
function nodeValue(node: DomNode): unknown {
  if (node.nodeType === 1 || node.nodeType === 9) {
    const children = node.childNodes;
    let elementChild = false;
    for (let i = 0; children !== undefined && i < children.length; i++) {
      if (children[i]?.nodeType === 1) elementChild = true;
    }
    if (elementChild || node.nodeType === 9) {
      const { xmldom } = load();
      return new xmldom.XMLSerializer().serializeToString(
        node as unknown as Parameters<InstanceType<Xmldom['XMLSerializer']>['serializeToString']>[0],
      );
    }
    return node.textContent ?? '';
  }
  return node.nodeValue ?? node.textContent ?? '';
}

function isDomNode(v: unknown): v is DomNode {
  return typeof v === 'object' && v !== null && typeof (v as { nodeType?: unknown }).nodeType === 'number';
}

/**
 * Select with an XPath expression (Selector Object, replacement targets read as values): the items of the
 * result, nodes turned into values (see nodeValue), atomic values as they are.
 */
export function selectXPath(expression: string, xml: string, version = 'xpath-31'): unknown[] {
  const doc = parseXml(xml);
  let items: unknown;
  if (version === 'xpath-10') items = load10().select(expression, doc);
  else {
    const { fx } = load();
    items = fx.evaluateXPath(expression, doc, null, null, fx.evaluateXPath.ALL_RESULTS_TYPE, {
      language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
    });
  }
  const list = Array.isArray(items) ? items : [items];
  return list.map((item) => (isDomNode(item) ? nodeValue(item) : item));
}

/** Static check of an XPath expression: the message of a static (XPST) error, else undefined. */
export function xpathSyntaxError(expression: string, version = 'xpath-31'): string | undefined {
  if (version === 'xpath-10') {
    try {
      load10().select(expression, parseXml('<x/>'));
      return undefined;
    } catch (err) {
      const msg = (err as Error).message;
      return /^(XPath parse error|Invalid expression)/i.test(msg) ? msg.split('\n')[0] : undefined;
    }
  }
  const { fx } = load();
  try {
    fx.evaluateXPathToBoolean(expression, parseXml('<x/>'), null, null, {
      language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
    });
    return undefined;
  } catch (err) {
    const msg = (err as Error).message;
    return /XPST\d+/.test(msg) ? msg.split('\n')[0] : undefined;
  }
}

/**
 * Arazzo "Payload Replacement Object" with an XPath `target` (1.0.1, and 1.1.0's XML default): every node
 * the expression selects in the XML payload takes `value` (an element as its only content, XML text
 * being parsed and inserted as elements; an attribute or a text node as its value); returns the new XML.
 * Throws with a readable message on bad XML or XPath, a target that selects nothing, or an object value.
 *
 * @example replaceXPath('<a><b>1</b></a>', '/a/b', 2) // '<a><b>2</b></a>'
 */
export function replaceXPath(xml: string, target: string, value: unknown, version = 'xpath-31'): string {
  if (xml.length > MAX_XML_INPUT) throw new Error(`XML payload is larger than ${MAX_XML_INPUT} characters`);
  if (value !== null && typeof value === 'object') {
    throw new Error(`XPath target "${target}": the value must be text, a number or a boolean`);
  }
  const doc = parseXml(xml) as { documentElement?: unknown };
  let nodes: unknown;
  if (version === 'xpath-10') nodes = load10().select(target, doc);
  else {
    const { fx } = load();
    nodes = fx.evaluateXPathToNodes(target, doc, null, null, {
      language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
    });
  }
  const list = (Array.isArray(nodes) ? nodes : []).filter(isDomNode) as unknown as WritableNode[];
  if (list.length === 0) throw new Error(`XPath target "${target}" selects nothing in the payload`);
  const text = value === null || value === undefined ? '' : String(value);
  const fragment =
    typeof value === 'string' && value.trimStart().startsWith('<') ? parseXml(value) : undefined;
  for (const node of list) {
    if (node.nodeType !== 1) {
      // xmldom serializes attributes from `value` and text nodes from `data`, not from `nodeValue`.
      node.nodeValue = text;
      if (node.nodeType === 2) node.value = text;
      else node.data = text;
      continue;
    }
    while (node.firstChild) node.removeChild(node.firstChild);
    const owner = node.ownerDocument;
    const root = (fragment as { documentElement?: unknown } | undefined)?.documentElement;
    if (root !== undefined && root !== null) node.appendChild(owner.importNode(root, true));
    else node.appendChild(owner.createTextNode(text));
  }
  const { xmldom } = load();
  return new xmldom.XMLSerializer().serializeToString(
    doc as unknown as Parameters<InstanceType<Xmldom['XMLSerializer']>['serializeToString']>[0],
  );
}

interface WritableNode {
  nodeType: number;
  nodeValue: string | null;
  value?: string;
  data?: string;
  firstChild: unknown;
  removeChild(child: unknown): void;
  appendChild(child: unknown): void;
  ownerDocument: { createTextNode(text: string): unknown; importNode(node: unknown, deep: boolean): unknown };
}
