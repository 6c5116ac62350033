// Typed pipeline errors: a stable code for programs, a sentence and a hint for people
// (the CLI prints userMessage + hint; the workstation shows them as an alert).

export type IngestErrorCode =
  | 'config.unknown_symbol'
  | 'config.ambiguous_symbol'
  | 'config.unknown_tick_size'
  | 'config.bad_time'
  | 'config.bad_date'
  | 'config.bad_timezone'
  | 'config.empty_window'
  | 'config.window_outside_file'
  | 'config.bad_params'
  | 'config.bad_pace'
  | 'input.not_mbo'
  | 'input.no_events'
  | 'ingest.cancelled'
  | 'ingest.worker_missing'
  | 'store.failed';

export class IngestError extends Error {
  readonly userMessage: string;
  constructor(
    readonly code: IngestErrorCode,
    userMessage: string,
    readonly hint = '',
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'IngestError';
    this.userMessage = userMessage;
  }
}

export function cancelledError(): IngestError {
  return new IngestError('ingest.cancelled', 'the ingest was cancelled; nothing was kept', '');
}
