#!/usr/bin/env node
// Launcher for the `swarm-macvlan` command: the TypeScript source through ts-node in a clone
// (where cli/main.ts exists, so a dist/ left over from `npm pack` is never run stale), else the
// compiled CLI that the package ships.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const source = path.join(root, "cli", "main.ts");
let cli;
if (fs.existsSync(source)) {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
    cli = require(source);
} else {
    cli = require(path.join(root, "dist", "cli", "main.js"));
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e);
    process.exitCode = 70;
});
