/** Ends an exhaustive switch: a new union member breaks the build here until it is handled. */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
