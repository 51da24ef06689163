#!/usr/bin/env node
// Launcher for the `swarm-macvlan` command: the compiled CLI when built (installed package),
// else the TypeScript source through ts-node (a clone after `npm ci`).
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const built = path.join(root, "dist", "cli", "main.js");
let cli;
if (fs.existsSync(built)) {
    cli = require(built);
} else {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
    cli = require(path.join(root, "cli", "main.ts"));
}
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e);
    process.exitCode = 70;
});
