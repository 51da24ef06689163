// Readers for untyped input (YAML, JSON, stack config): each checks one field, records a
// problem naming the field path when it is wrong, and returns undefined in that case.
import { Problems } from "./errors";
import { Address, Cidr, Family, Parsed, familyName, parseAddress, parseCidr } from "./cidr";

/** Interface names: what `ip link` accepts and a shell cannot misread (IFNAMSIZ is 16 with NUL). */
export const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
export const INTERFACE_RULE = "use 1-15 characters from A-Z a-z 0-9 _ . - starting with a letter or digit";
/** Docker's own rule for network names, also used for node and network spec names. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const NAME_RULE = "use letters, digits, _ . - starting with a letter or digit";
const HOST = /^[A-Za-z0-9][A-Za-z0-9.:-]*$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

export type Raw = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Raw {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reports keys outside `allowed` (typos such as `ipRangePrefx` must not pass silently). */
export function checkKeys(problems: Problems, path: string, raw: Raw, allowed: readonly string[]): void {
    for (const key of Object.keys(raw)) {
        if (!allowed.includes(key)) {
            problems.add(`${path}.${key}`, raw[key], `is not a known field; allowed: ${allowed.join(", ")}`);
        }
    }
}

export function readObject(problems: Problems, path: string, value: unknown, what: string): Raw | undefined {
    if (isObject(value)) {
        return value;
    }
    problems.add(path, value, `must be ${what}`);
    return undefined;
}

export function readString(
    problems: Problems,
    path: string,
    value: unknown,
    pattern: RegExp,
    rule: string,
): string | undefined {
    if (typeof value === "string" && pattern.test(value)) {
        return value;
    }
    problems.add(path, value, value === undefined ? `is required: ${rule}` : `is not allowed: ${rule}`);
    return undefined;
}

export function readInterface(problems: Problems, path: string, value: unknown): string | undefined {
    if (typeof value === "string" && !INTERFACE_NAME.test(value)) {
        problems.add(path, value, `is not a valid interface name: ${INTERFACE_RULE}`);
        return undefined;
    }
    return readString(problems, path, value, INTERFACE_NAME, `an interface name; ${INTERFACE_RULE}`);
}

export function readName(problems: Problems, path: string, value: unknown): string | undefined {
    return readString(problems, path, value, NAME, NAME_RULE);
}

export function readHost(problems: Problems, path: string, value: unknown): string | undefined {
    return readString(problems, path, value, HOST, "a hostname or IP address");
}

export function readUser(problems: Problems, path: string, value: unknown): string | undefined {
    return readString(problems, path, value, USER, "a login name such as root or deploy");
}

export function readInteger(
    problems: Problems,
    path: string,
    value: unknown,
    min: number,
    max: number,
): number | undefined {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
        return value;
    }
    const allowed = `${min}-${max}`;
    if (typeof value === "number" && Number.isInteger(value)) {
        problems.add(path, value, `is outside ${allowed}`);
    } else {
        problems.add(path, value, value === undefined ? `is required: an integer ${allowed}` : `must be an integer ${allowed}`);
    }
    return undefined;
}

export function readBoolean(problems: Problems, path: string, value: unknown, fallback: boolean): boolean | undefined {
    if (value === undefined || typeof value === "boolean") {
        return value ?? fallback;
    }
    problems.add(path, value, "must be true or false");
    return undefined;
}

function report<T>(problems: Problems, path: string, value: unknown, parsed: Parsed<T>): T | undefined {
    if (parsed.ok) {
        return parsed.value;
    }
    problems.add(path, value, parsed.reason);
    return undefined;
}

export function readCidr(problems: Problems, path: string, value: unknown, family: Family): Cidr | undefined {
    if (typeof value !== "string") {
        const example = family === 4 ? "10.0.0.0/24" : "2001:db8::/64";
        problems.add(path, value, `${value === undefined ? "is required" : "must be a string"}: an ${familyName(family)} CIDR such as ${example}`);
        return undefined;
    }
    return report(problems, path, value, parseCidr(value, family));
}

export function readAddress(problems: Problems, path: string, value: unknown, family: Family): Address | undefined {
    if (typeof value !== "string") {
        const example = family === 4 ? "10.0.0.1" : "2001:db8::1";
        problems.add(path, value, `${value === undefined ? "is required" : "must be a string"}: an ${familyName(family)} address such as ${example}`);
        return undefined;
    }
    return report(problems, path, value, parseAddress(value, family));
}

/**
 * Reads an optional map keyed by node name (`ranges`, `hostAddresses`, `parents`); keys that
 * name no node are reported, values go through `read`. Entries come back in node order.
 */
export function readNodeMap<T>(
    problems: Problems,
    path: string,
    value: unknown,
    nodeNames: readonly string[],
    read: (path: string, value: unknown) => T | undefined,
): Map<string, T> {
    const result = new Map<string, T>();
    if (value === undefined) {
        return result;
    }
    const raw = readObject(problems, path, value, "a map from node name to value");
    if (raw === undefined) {
        return result;
    }
    const known = new Set(nodeNames);
    const list = nodeNames.join(", ");
    for (const key of Object.keys(raw)) {
        if (!known.has(key)) {
            problems.add(`${path}.${key}`, raw[key], `names no node; known nodes: ${list}`);
        }
    }
    for (const node of nodeNames) {
        if (Object.hasOwn(raw, node)) {
            const item = read(`${path}.${node}`, raw[node]);
            if (item !== undefined) {
                result.set(node, item);
            }
        }
    }
    return result;
}

export function readList<T>(
    problems: Problems,
    path: string,
    value: unknown,
    read: (path: string, value: unknown) => T | undefined,
): T[] {
    if (value === undefined) {
        return [];
    }
    if (!Array.isArray(value)) {
        problems.add(path, value, "must be a list");
        return [];
    }
    return value.flatMap((item, i) => {
        const parsed = read(`${path}[${i}]`, item);
        return parsed === undefined ? [] : [parsed];
    });
}
