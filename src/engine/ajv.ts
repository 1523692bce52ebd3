/** ajv's CommonJS builds, imported once with the interop the ESM build needs. */
import ajv2020 from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

type Ajv2020Ctor = typeof ajv2020.default;
export const Ajv2020: Ajv2020Ctor =
  (ajv2020 as unknown as { default?: Ajv2020Ctor }).default ?? (ajv2020 as unknown as Ajv2020Ctor);
type AddFormats = typeof formats.default;
export const addFormats: AddFormats =
  (formats as unknown as { default?: AddFormats }).default ?? (formats as unknown as AddFormats);
