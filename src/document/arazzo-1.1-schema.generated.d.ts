/** Types of the generated standalone validator (see scripts/gen-schema-validator.mjs). */
import type { ErrorObject } from 'ajv';

interface GeneratedValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
declare const validate: GeneratedValidate;
export { validate };
export default validate;
