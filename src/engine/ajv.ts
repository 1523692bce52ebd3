/** ajv's CommonJS builds, loaded on first use (a run whose workflow has no inputs schema never loads them). */
import { createRequire } from 'node:module';
import type Ajv2020Type from 'ajv/dist/2020.js';

type Ajv2020Ctor = typeof Ajv2020Type.default;
type AddFormats = typeof import('ajv-formats').default;

let loaded: { Ajv2020: Ajv2020Ctor; addFormats: AddFormats } | undefined;

export function loadAjv(): { Ajv2020: Ajv2020Ctor; addFormats: AddFormats } {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const ajv = require('ajv/dist/2020.js') as { default?: Ajv2020Ctor } & Ajv2020Ctor;
    const formats = require('ajv-formats') as { default?: AddFormats } & AddFormats;
    loaded = { Ajv2020: ajv.default ?? ajv, addFormats: formats.default ?? formats };
  }
  return loaded;
}
