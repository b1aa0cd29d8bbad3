// What a CLI command needs: bootstrap/command.ts builds it (the store and, on first use, the hasher and the collector).
export { type CommandContext, withCommandContext as withStore } from '../bootstrap/command.js';
