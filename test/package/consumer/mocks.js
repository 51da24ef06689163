// Runs the compiled program under Pulumi mocks and prints what it registered, as JSON.
const pulumi = require("@pulumi/pulumi");

const registered = [];
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered.push(`${args.type} ${args.name}`);
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
}, "consumer", "test", true);

const program = require("./out/index.js");
program.swarmNetwork.apply(() => setTimeout(() => {
    console.log(JSON.stringify({ ranges: program.ranges, registered: registered.sort() }));
}, 100));
