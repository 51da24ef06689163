// The plan as a picture: per network and address family, an address map of the subnet. A bar
// drawn to scale shows how much of the subnet is used; below it, one row per stretch of the
// subnet in address order (the gateway's block, each node's range, excludes, free space) with
// the host and task addresses that lie in it, then a legend. Plain SVG text, deterministic, no fonts or
// scripts loaded from anywhere.
import { Cidr, Family, blockOf, formatAddress, formatCidr, lastOf, parseAddress, parseCidr, sizeOf } from "./cidr";
import { FamilyHeader, FamilyNodePlan, NetworkPlan, Plan } from "./plan";
import { title } from "./planView";

/** What a stretch of the subnet is. */
type Kind = "range" | "exclude" | "gateway" | "free";

/** A maximal stretch of the subnet with one owner, in address order. */
export interface Stretch {
    /** A node's range, an exclude, the gateway's block or free space. */
    readonly kind: Kind;
    /** Its first address. */
    readonly first: string;
    /** Its last address. */
    readonly last: string;
    /** The node whose range it is. */
    readonly node?: string;
    /** Host addresses inside the stretch: `[node, address]`. */
    readonly hosts: readonly (readonly [string, string])[];
}

/** A Stretch with its ends as numbers. */
interface Span extends Omit<Stretch, "first" | "last"> {
    readonly first: bigint;
    readonly last: bigint;
}

const WIDTH = 1120;
/** Where the description column starts (after the longest IPv6 `first - last`). */
const DESCRIPTION = 490;
const MARGIN = 16;
const ROW = 22;
/** Colours of node ranges, in node order (repeating), readable under black text. */
const PALETTE = ["#8ecae6", "#ffb703", "#90be6d", "#f4a3c4", "#b8a1e3", "#f9c74f", "#73d2de", "#f8961e"];
const FILL: Record<Exclude<Kind, "range">, string> = { exclude: "#9e9e9e", gateway: "#e76f51", free: "#ffffff" };

function must<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }): T {
    if (!parsed.ok) {
        throw new Error(`a plan holds only canonical addresses: ${parsed.reason}`);
    }
    return parsed.value;
}

/**
 * The subnet of one family cut into stretches: each node's range, each exclude, the gateway's
 * block of `ipRangePrefix` (which the planner keeps out of every unpinned range) and the free
 * space between them. Where they overlap, a range wins over an exclude, an exclude over the
 * gateway's block.
 *
 * @param nodes each node's name and its plan in this family, in node order
 * @example
 * stretches(4, net, net.nodes.map((n) => [n.node, n]))[0]
 * // { kind: "gateway", first: "172.80.0.0", last: "172.80.0.255", hosts: [] }
 */
export function stretches(family: Family, header: FamilyHeader, nodes: readonly (readonly [string, FamilyNodePlan])[]): Stretch[] {
    return spans(family, header, nodes).map((s) => ({ ...s, first: formatAddress({ family, value: s.first }), last: formatAddress({ family, value: s.last }) }));
}

function spans(family: Family, header: FamilyHeader, nodes: readonly (readonly [string, FamilyNodePlan])[]): Span[] {
    const subnet = must(parseCidr(header.subnet, family));
    const gateway = must(parseAddress(header.gateway, family));
    const owners: { kind: Kind; cidr: Cidr; node?: string }[] = [
        ...nodes.map(([node, n]) => ({ kind: "range" as const, cidr: must(parseCidr(n.ipRange, family)), node })),
        ...(header.exclude ?? []).map((e) => ({ kind: "exclude" as const, cidr: must(parseCidr(e, family)) })),
        { kind: "gateway", cidr: blockOf(gateway, header.ipRangePrefix) },
    ];
    const cuts = [...new Set([subnet.base, lastOf(subnet) + 1n, ...owners.flatMap((o) => [o.cidr.base, lastOf(o.cidr) + 1n])])]
        .filter((c) => c >= subnet.base && c <= lastOf(subnet) + 1n)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const hosts = nodes.flatMap(([node, n]) => (n.hostAddress === undefined ? [] : [[node, must(parseAddress(n.hostAddress, family))] as const]));
    const out: Span[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
        const [first, last] = [cuts[i], cuts[i + 1] - 1n];
        const owner = owners.find((o) => o.cidr.base <= first && last <= lastOf(o.cidr));
        const kind = owner?.kind ?? "free";
        const previous = out[out.length - 1];
        if (previous !== undefined && previous.kind === kind && previous.node === owner?.node) {
            out[out.length - 1] = { ...previous, last };
        } else {
            out.push({ kind, first, last, ...(owner?.node !== undefined && { node: owner.node }), hosts: [] });
        }
    }
    return out.map((s) => ({
        ...s,
        hosts: hosts.filter(([, a]) => a.value >= s.first && a.value <= s.last).map(([node, a]) => [node, formatAddress(a)] as const),
    }));
}

function xml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `172.80.4.0/22` when the stretch is one CIDR block, else `first - last`. */
function extent(family: Family, s: Span): string {
    const size = s.last - s.first + 1n;
    const prefix = (family === 4 ? 32 : 128) - (size.toString(2).length - 1);
    const block: Cidr = { family, base: s.first, prefix };
    if ((size & (size - 1n)) === 0n && s.first % sizeOf(block) === 0n) {
        return formatCidr(block);
    }
    return `${formatAddress({ family, value: s.first })} - ${formatAddress({ family, value: s.last })}`;
}

/**
 * How many addresses, exactly: IPv4 as a number; IPv6 as a power of two, else as a count of
 * blocks of the range prefix (`65,533 × /80`), else as a number.
 */
function count(family: Family, size: bigint, prefix: number): string {
    const log = size.toString(2).length - 1;
    const block = 1n << BigInt(128 - prefix);
    if (family === 6 && size >= 1n << 20n && (1n << BigInt(log)) === size) {
        return `2^${log} addresses`;
    }
    if (family === 6 && size >= 1n << 20n && size % block === 0n) {
        return `${(size / block).toLocaleString("en-US")} × /${prefix}`;
    }
    return `${size.toLocaleString("en-US")} address${size === 1n ? "" : "es"}`;
}

function describe(s: Span, gateway: string, tasks: ReadonlyMap<string, string>): string {
    const hosts = s.hosts.map(([node, a]) => `host ${node} ${a}`);
    const task = s.node !== undefined && tasks.has(s.node) ? [`task address ${tasks.get(s.node)} (the only one Docker hands out here)`] : [];
    const what = s.kind === "range" ? `${s.node}'s range` : s.kind === "gateway" ? `gateway ${gateway} (its block is in no range)` : s.kind === "exclude" ? "excluded" : "free";
    return [what, ...task, ...hosts].join("; ");
}

function colour(s: Span, order: ReadonlyMap<string, number>): string {
    return s.kind === "range" ? PALETTE[(order.get(s.node!) ?? 0) % PALETTE.length] : FILL[s.kind];
}

/** One family's map, drawn from `y`; returns its elements and the next free y. */
function familyMap(family: Family, header: FamilyHeader, net: NetworkPlan, y: number): { parts: string[]; y: number } {
    const nodes = net.nodes.flatMap((n) => {
        const fam = family === 4 ? n : n.ipv6;
        return fam === undefined ? [] : [[n.node, fam] as const];
    });
    const order = new Map(net.nodes.map((n, i) => [n.node, i]));
    const tasks = new Map(nodes.flatMap(([node, fam]) => (fam.taskAddress === undefined ? [] : [[node, fam.taskAddress] as const])));
    const all = spans(family, header, nodes);
    const subnet = must(parseCidr(header.subnet, family));
    const span = sizeOf(subnet);
    const barWidth = WIDTH - 2 * MARGIN;
    const used = all.filter((s) => s.kind === "range").reduce((sum, s) => sum + s.last - s.first + 1n, 0n);
    const parts = [
        `<text x="${MARGIN}" y="${y + 14}" class="h2">IPv${family} ${xml(header.subnet)}: gateway ${xml(header.gateway)}, ranges /${header.ipRangePrefix}; ` +
            `${nodes.length} range${nodes.length === 1 ? "" : "s"} hold ${xml(count(family, used, header.ipRangePrefix))} of ${xml(count(family, span, header.ipRangePrefix))}</text>`,
        `<rect x="${MARGIN}" y="${y + 22}" width="${barWidth}" height="14" class="free"/>`,
    ];
    // To scale: every stretch at its place, at least one pixel wide so none disappears.
    for (const s of all.filter((t) => t.kind !== "free")) {
        const x = MARGIN + Number(((s.first - subnet.base) * BigInt(barWidth * 100)) / span) / 100;
        const w = Math.max(1, Number(((s.last - s.first + 1n) * BigInt(barWidth * 100)) / span) / 100);
        parts.push(`<rect x="${x}" y="${y + 22}" width="${w}" height="14" fill="${colour(s, order)}"/>`);
    }
    let row = y + 46;
    for (const s of all) {
        parts.push(
            `<rect x="${MARGIN}" y="${row}" width="${barWidth}" height="${ROW - 2}" fill="${colour(s, order)}"${s.kind === "free" ? ` class="free"` : ""}/>`,
            `<text x="${MARGIN + 6}" y="${row + 14}" class="mono">${xml(extent(family, s))}</text>`,
            `<text x="${DESCRIPTION}" y="${row + 14}">${xml(describe(s, header.gateway, tasks))}</text>`,
            `<text x="${WIDTH - MARGIN - 6}" y="${row + 14}" text-anchor="end">${xml(count(family, s.last - s.first + 1n, header.ipRangePrefix))}</text>`,
        );
        row += ROW;
    }
    return { parts, y: row + 10 };
}

function legend(y: number): string[] {
    const items: [string, string][] = [[PALETTE[0], "a node's --ip-range"], [FILL.gateway, "the gateway's block"], [FILL.exclude, "exclude"], [FILL.free, "free"]];
    return [
        `<text x="${MARGIN}" y="${y + 14}" class="h2">Legend</text>`,
        ...items.flatMap(([fill, label], i) => [
            `<rect x="${MARGIN + i * 200}" y="${y + 22}" width="14" height="14" fill="${fill}"${fill === FILL.free ? ` class="free"` : ""}/>`,
            `<text x="${MARGIN + i * 200 + 20}" y="${y + 34}">${xml(label)}</text>`,
        ]),
        `<text x="${MARGIN}" y="${y + 56}">The bar is to scale; the rows list every stretch in address order, with the host addresses (--aux-address host) in it.</text>`,
    ];
}

/**
 * The plan as an SVG document: per network and family an address map of the subnet (each
 * node's range, the gateway, excludes, host addresses and free space), then a legend.
 *
 * @example svg(planSpec(spec)).startsWith("<svg ") // true
 */
export function svg(plan: Plan): string {
    let y = MARGIN;
    const parts: string[] = [];
    for (const net of plan.networks) {
        const [name, rest] = [title(net).slice(0, net.name.length + 1), title(net).slice(net.name.length + 2)];
        parts.push(`<text x="${MARGIN}" y="${y + 16}"><tspan class="h1">${xml(name)}</tspan> ${xml(rest)}</text>`);
        y += 28;
        for (const [family, header] of [[4, net], [6, net.ipv6]] as const) {
            if (header !== undefined) {
                const map = familyMap(family, header, net, y);
                parts.push(...map.parts);
                y = map.y;
            }
        }
        y += 8;
    }
    parts.push(...legend(y));
    const height = y + 66;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
        "<style>.h1{font-size:15px;font-weight:bold}.h2{font-weight:bold}.mono{font-family:monospace}.free{fill:#fff;stroke:#999;stroke-dasharray:4 3}</style>",
        `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
        ...parts,
        "</svg>",
        "",
    ].join("\n");
}
