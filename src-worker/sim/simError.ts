// Typed simulator errors: a message for a person and a hint (shown by the CLI without a stack).
export class SimError extends Error {
  readonly userMessage: string;
  constructor(
    message: string,
    readonly hint = '',
  ) {
    super(message);
    this.name = 'SimError';
    this.userMessage = message;
  }
}
