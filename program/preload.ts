// What node loads first in the dynamic providers' process of the root program (Pulumi.yaml's
// plugin `pulumi-nodejs`, plugins/pulumi-nodejs/pulumi-resource-pulumi-nodejs): Node's compile
// cache (Node 22.1+, in the OS temporary directory; losing it only loses the speed-up), and the
// SDK's start-up requires of what that process never uses deferred to first use
// (program/deferTooling.ts). That process loads the whole SDK before it serves the first
// resource, and every dynamic resource of a run waits for it.
import { enableCompileCache } from "module";
enableCompileCache?.();
import { deferSdkTooling } from "./deferTooling";
deferSdkTooling();
