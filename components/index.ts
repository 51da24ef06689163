// The package's public surface, exported by name.
export { MacvlanSwarmNetwork, MacvlanSwarmNetworkArgs, MacvlanSwarmNodeArgs } from "./MacvlanSwarmNetwork";
export { VlanSubinterface, VlanSubinterfaceArgs } from "./VlanSubinterface";
export { PromiscMode, PromiscModeArgs } from "./PromiscMode";
export { ConfigOnlyNetwork, ConfigOnlyNetworkArgs } from "./ConfigOnlyNetwork";
export { SwarmNetwork, SwarmNetworkArgs } from "./SwarmNetwork";
export { HostShim, HostShimArgs } from "./HostShim";
export { HostTakeover, HostTakeoverArgs } from "./HostTakeover";
export { GuardConfirm, GuardConfirmArgs } from "./GuardConfirm";
export { BootUnit, BootUnitArgs } from "./BootUnit";
export { NodeLabel, NodeLabelArgs } from "./NodeLabel";
export { Connection, SharedDrift, Step } from "./remoteStep";
export { DriftCheck, DriftCheckArgs, DriftFindings, KeyedDriftCheckArgs } from "./DriftCheck";
export { NodePreflight, NodePreflightArgs } from "./NodePreflight";
export { ReplacementGuard, ReplacementGuardArgs } from "./ReplacementGuard";
export { SshTarget, ScriptResult, runOnHost } from "./ssh";
export {
    planSpec, render, SpecError, Plan, NetworkPlan, NodePlan, PlannedNode, SwarmSpec, NodeSpec, NodeRole, NetworkSpec, FamilySpec, FamilyHeader, FamilyNodePlan,
    FamilyConfig, Format, FORMATS, placementConstraint, placementLabel,
} from "./core";
