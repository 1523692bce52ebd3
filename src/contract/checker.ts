/** The contract checker a run uses: fixed options, for responses and for AsyncAPI messages. */
import type { HttpResponse } from '../http/types.js';
import type { AsyncApiMessage, OpenApiSource, ResolvedOperation } from '../sources/types.js';
import { checkResponse } from './check.js';
import { checkMessage } from './message.js';
import type { ContractChecker, ContractOptions, ExchangedMessage } from './types.js';

/**
 * A checker with fixed options, for the engine to call after each response (and, as `.message`, for each
 * message an AsyncAPI step sends or receives).
 * @example const check = createContractChecker({ severity: 'warning' }); record.checks = check(op, response, source);
 */
export function createContractChecker(options: ContractOptions = {}): ContractChecker {
  const checker = (operation: ResolvedOperation, response: HttpResponse, source?: OpenApiSource) =>
    checkResponse(operation, response, source, options);
  return Object.assign(checker, {
    message: (message: AsyncApiMessage | undefined, exchanged: ExchangedMessage) =>
      checkMessage(message, exchanged, options),
  });
}
