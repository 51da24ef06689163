// The offline Pulumi environment of scripts/pulumi-env, for mocha tests.
//
//   const env = await pulumiEnv();   // first call may build the engine: give it a long timeout
//
// Builds dist/ (what Pulumi.yaml runs) and runs `scripts/pulumi-env --lab` once per process, parses the `export NAME='value'` lines it prints,
// applies them to process.env (so the Automation API finds `pulumi` and the state backend)
// and returns them. All the logic lives in the bash script.
import { spawn } from "child_process";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");

let pending: Promise<Record<string, string>> | undefined;

export function pulumiEnv(): Promise<Record<string, string>> {
    if (!pending) {
        // The tests' stacks hold only the lab's throwaway key: the lab's own passphrase file.
        // Pulumi.yaml runs the compiled root program: build it from this tree first (about 6 s).
        pending = run("npm", ["run", "--silent", "build"]).then(() => run(path.join(repoRoot, "scripts", "pulumi-env"), ["--lab"])).then((out) => {
            const env = parseExports(out);
            delete process.env.PULUMI_CONFIG_PASSPHRASE;
            Object.assign(process.env, env);
            return env;
        });
        pending.catch(() => { pending = undefined; });
    }
    return pending;
}

/** Parses the lines `export NAME='value'` (a `'` inside written as `'\''`). */
export function parseExports(text: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const line of text.split("\n")) {
        const m = /^export ([A-Za-z_][A-Za-z0-9_]*)='(.*)'$/.exec(line);
        if (m) {
            env[m[1]] = m[2].split("'\\''").join("'");
        } else if (line.trim() !== "") {
            throw new Error(`scripts/pulumi-env printed an unexpected line: ${line}`);
        }
    }
    return env;
}

function run(file: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        // stderr (build progress, warnings) goes straight to the test's stderr.
        const child = spawn(file, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => { out += d; });
        child.on("error", reject);
        child.on("close", (code) => code === 0 ? resolve(out) : reject(new Error(`${file} exited with ${code}`)));
    });
}

/**
 * Stack `name` of the root program, new: one a run that died left behind (even locked) is
 * dropped rather than destroyed, since the lab it spoke of is gone. Its config file goes too:
 * write the config after this.
 */
export async function freshStack(name: string, env: Record<string, string>): Promise<Stack> {
    const old = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: repoRoot }, { envVars: env });
    await old.cancel().catch(() => undefined);
    await old.workspace.removeStack(name, { force: true });
    return LocalWorkspace.createStack({ stackName: name, workDir: repoRoot }, { envVars: env });
}
