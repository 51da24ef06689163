// Command builders: each returns `{ create, delete, check, steps }` for one object on one host,
// so a command, its teardown and its drift check are reviewed together. `create` ensures (safe
// to re-run over existing state); `delete` removes only what swarm-macvlan made, marked by an
// interface alias or a docker label, and leaves anything else alone.
export * from "./shared";
export * from "./vlan";
export * from "./promisc";
export * from "./configOnly";
export * from "./swarm";
export * from "./shim";
export * from "./preflight";
export * from "./managers";
export * from "./boot";
export * from "./takeover";
export * from "./guard";
export * from "./label";
