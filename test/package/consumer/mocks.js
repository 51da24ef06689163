// Runs the compiled program under Pulumi mocks and prints what it registered, as JSON, and
// what its dynamic resources' provider code is: the loader of which of the package's providers
// (providerLoader), and the functions of the provider it loads here, as the dynamic-provider
// process would.
const pulumi = require("@pulumi/pulumi");
const Module = require("module");

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
const { namedProviders, providerLoader } = require("swarm-macvlan/dist/components/providerCode");

/** The provider `code` loads from this directory (a module compiled from the string, then its handler). */
function load(code) {
    const m = new Module("");
    m.paths = Module._nodeModulePaths(".");
    m._compile(code, "");
    return m.exports.handler();
}

program.swarmNetwork.apply(() => setTimeout(() => {
    const providers = [...codes].map((code) => {
        const named = namedProviders().find((p) => providerLoader(p.name) === code);
        if (named === undefined) {
            return `not a loader (${String(code).length} characters)`;
        }
        const provider = load(code);
        return `${named.name}: ${provider === named.provider ? "the package's provider" : "another provider"}`;
    });
    console.log(JSON.stringify({ ranges: program.ranges, registered: registered.sort(), providers: providers.sort() }));
}, 100));
