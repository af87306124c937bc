/*
 * Promises a test settles when it says: shared by the tests of hung calls and deadlines.
 */

/** A call that never settles (a hung webhook, a hung store). */
export const never = <T = never>(): Promise<T> => new Promise<T>(() => undefined);

/** A promise and its resolve, to settle a call when the test says. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
