// The base of the stores' own start-up errors (each store keeps its specific ones): the message tells the operator
// what is wrong and how to fix it, so the CLI prints it as is. No driver is loaded by importing this.

export class StoreStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreStartError';
  }
}
