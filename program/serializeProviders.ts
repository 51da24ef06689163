// Build step (`npm run build`, after tsc): serializes every dynamic provider of the compiled
// components into their PREBUILT_FILE (components/prebuilt.ts), so that runs need not.
import * as path from "path";
import "../components";
import { PREBUILT_FILE, namedProviders, writePrebuilt } from "../components/prebuilt";

const dir = path.join(__dirname, "..", "components");
// Silent when it works, as tsc is (`npm pack` prints what the build prints).
writePrebuilt(dir, namedProviders()).catch((e: Error) => {
    console.error(`swarm-macvlan: serializing the dynamic providers into ${path.join(dir, PREBUILT_FILE)} failed: ${e.message}`);
    process.exitCode = 1;
});
