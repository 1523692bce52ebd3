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
