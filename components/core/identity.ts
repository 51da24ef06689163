// What makes an object on a host the object it is. The components put it into their commands'
// replacement triggers, so it must not depend on how a caller happened to order its fields.

/**
 * Canonical JSON: object keys sorted at every level, undefined fields left out, so two equal
 * configurations always give the same text.
 *
 * @example identity({ b: 1, a: { d: [2], c: undefined } }) // '{"a":{"d":[2]},"b":1}'
 */
export function identity(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
            : v);
}
