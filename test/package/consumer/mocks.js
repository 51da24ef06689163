// Runs the compiled program under Pulumi mocks and prints what it registered, as JSON, and
// which of the package's prebuilt provider codes its dynamic resources carried.
const pulumi = require("@pulumi/pulumi");
const path = require("path");

const registered = [];
const codes = new Set();
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered.push(`${args.type} ${args.name}`);
        if (args.type === "pulumi-nodejs:dynamic:Resource") {
            codes.add(args.inputs.__provider);
        }
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
}, "consumer", "test", true);

const program = require("./out/index.js");
const components = path.dirname(require.resolve("swarm-macvlan"));
const prebuilt = require("swarm-macvlan/dist/components/prebuilt").readPrebuilt(components) ?? {};
program.swarmNetwork.apply(() => setTimeout(() => {
    const named = [...codes].map((code) => Object.keys(prebuilt).find((name) => prebuilt[name] === code) ?? `not prebuilt (${String(code).length} characters)`);
    console.log(JSON.stringify({ ranges: program.ranges, registered: registered.sort(), providers: named.sort() }));
}, 100));
