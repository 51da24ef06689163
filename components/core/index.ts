// The pure core: no Pulumi imports. Planning, validation, quoting and command building.
export * from "./spec";
export * from "./errors";
export * from "./cidr";
export * from "./shell";
export * from "./commands";
export * from "./plan";
export * from "./interfaces";
export * from "./steps";
export * from "./identity";
export * from "./replacement";
export * from "./planView";
export * from "./markdown";
export * from "./svg";
export * from "./render";
export * from "./status";
export * from "./stackConfig";
export * from "./hostKey";
