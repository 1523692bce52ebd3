// Criterion Object: `xpath` conditions, evaluated with fontoxpath on an XML context parsed by @xmldom/xmldom.
import { createRequire } from 'node:module';

type Fontoxpath = typeof import('fontoxpath');
type Xmldom = typeof import('@xmldom/xmldom');

/** Versions of the Criterion Expression Type Object for XPath; all run on fontoxpath's XPath 3.1. */
export const XPATH_VERSIONS: readonly string[] = ['xpath-31', 'xpath-30', 'xpath-20', 'xpath-10'];

/** Longest XML context parsed; larger documents fail the criterion. */
export const MAX_XML_INPUT = 4 * 1024 * 1024;

let libs: { fx: Fontoxpath; xmldom: Xmldom } | undefined;

/** Loaded on first use: XPath criteria are rare and fontoxpath is large. */
function load(): { fx: Fontoxpath; xmldom: Xmldom } {
  if (libs === undefined) {
    const require = createRequire(import.meta.url);
    libs = { fx: require('fontoxpath') as Fontoxpath, xmldom: require('@xmldom/xmldom') as Xmldom };
  }
  return libs;
}

function parseXml(text: string): unknown {
  const { xmldom } = load();
  const parser = new xmldom.DOMParser({
    onError: (level: string, message: string) => {
      if (level !== 'warning') throw new Error(`context is not well-formed XML: ${message}`);
    },
  });
  return parser.parseFromString(text, 'text/xml');
}

/**
 * Evaluate an XPath expression on an XML string and return its effective boolean value (true,
 * a non-zero number, a non-empty string, a non-empty node sequence). XPath 1.0/2.0/3.0 documents
 * are run with the 3.1 engine, which accepts their syntax; known differences (1.0 node-set
 * comparisons are existential in both) are small. Throws with a readable message on bad XML or XPath.
 */
export function evaluateXPathCondition(expression: string, xml: string): boolean {
  if (xml.length > MAX_XML_INPUT) throw new Error(`XML context is larger than ${MAX_XML_INPUT} characters`);
  const doc = parseXml(xml);
  const { fx } = load();
  return fx.evaluateXPathToBoolean(expression, doc, null, null, {
    language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
  });
}

/** Static check of an XPath expression: the message of a static (XPST) error, else undefined. */
export function xpathSyntaxError(expression: string): string | undefined {
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
 * Arazzo 1.0.1 "Payload Replacement Object" with an XPath `target`: the XML payload with every node the
 * expression selects set to `value` (an element's text content, an attribute's value, a text node's
 * text). Returns the serialized document. Throws with a readable message on bad XML or XPath, a target
 * that selects nothing or something other than those nodes, or an object value.
 *
 * @example replaceXPath('<a><b>1</b></a>', '/a/b', 2) // '<a><b>2</b></a>'
 */
export function replaceXPath(xml: string, expression: string, value: unknown): string {
  if (xml.length > MAX_XML_INPUT) throw new Error(`XML payload is larger than ${MAX_XML_INPUT} characters`);
  if (value !== null && typeof value === 'object') {
    throw new Error(`XPath target "${expression}": the value must be text, a number or a boolean`);
  }
  const text = value === null || value === undefined ? '' : String(value);
  const doc = parseXml(xml) as XmlDocument;
  const { fx, xmldom } = load();
  const nodes = fx.evaluateXPathToNodes(expression, doc, null, null, {
    language: fx.evaluateXPath.XPATH_3_1_LANGUAGE,
  }) as XmlNode[];
  if (nodes.length === 0) throw new Error(`XPath target "${expression}" selects nothing in the payload`);
  for (const node of nodes) {
    if (node.nodeType === ELEMENT_NODE) node.textContent = text;
    else if (node.nodeType === ATTRIBUTE_NODE) node.ownerElement?.setAttribute(node.nodeName, text);
    else if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) {
      node.parentNode?.replaceChild(doc.createTextNode(text), node);
    } else {
      throw new Error(`XPath target "${expression}" selects a node that cannot take a value`);
    }
  }
  return new xmldom.XMLSerializer().serializeToString(doc as never);
}

const ELEMENT_NODE = 1;
const ATTRIBUTE_NODE = 2;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

/** The parts of xmldom's DOM that replaceXPath touches. */
interface XmlNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  ownerElement?: { setAttribute(name: string, value: string): void } | null;
  parentNode: { replaceChild(next: unknown, old: unknown): unknown } | null;
}
interface XmlDocument {
  createTextNode(text: string): unknown;
}
