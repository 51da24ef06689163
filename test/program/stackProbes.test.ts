import * as assert from "assert";
import { Resource } from "@pulumi/pulumi";
import { isSdkProbe, plainStack, unmappedStackProbes } from "../../program/stackProbes";

// The SDK's two probes, which it keeps internal.
const { callsites } = Resource as unknown as { callsites(): { file?: string }[] };
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> };

describe("program/stackProbes", () => {
    const formatter = Error.prepareStackTrace;
    afterEach(() => {
        Error.prepareStackTrace = formatter;
    });
    const site = (file: string | undefined, text: string) => ({ getFileName: () => file, toString: () => text }) as unknown as NodeJS.CallSite;

    it("formats the SDK's probes (a resource's callsites, a tracked promise) as V8 does, every other error with the formatter installed before", async () => {
        const seen: string[] = [];
        Error.prepareStackTrace = (error) => {
            seen.push(error.message);
            return "mapped";
        };
        unmappedStackProbes();
        // Parsed from a plain stack: frames with positions, this file's among them ("mapped" has none).
        const files = callsites.call(Resource).map((c) => c.file);
        assert.ok(files.some((f) => f?.endsWith("stackProbes.test.ts")), files.join(" "));
        const tracked = Promise.resolve(1);
        await debuggablePromise(tracked, "a test");
        assert.match((tracked as Promise<number> & { _debugStackTrace: string })._debugStackTrace,
            /^Error\n {4}at debuggablePromise \(.*[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js:\d+:\d+\)\n/);
        assert.equal(new Error("the operator's").stack, "mapped");
        assert.equal(new Error().stack, "mapped");
        assert.deepStrictEqual(seen, ["the operator's", ""]);
    });

    it("installs nothing when no formatter is installed", () => {
        delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
        unmappedStackProbes();
        assert.equal(Error.prepareStackTrace, undefined);
    });

    it("isSdkProbe: no message and made in @pulumi/pulumi; anything else is not", () => {
        const sdk = [site("/p/node_modules/@pulumi/pulumi/resource.js", "callsites (/p/node_modules/@pulumi/pulumi/resource.js:1:2)")];
        assert.deepStrictEqual([
            isSdkProbe(new Error(), sdk),
            isSdkProbe(new Error("Resource monitor is terminating"), sdk),
            isSdkProbe(new Error(), [site("/p/dist/index.js", "build (/p/dist/index.js:3:4)")]),
            isSdkProbe(new Error(), [site(undefined, "<anonymous>")]),
            isSdkProbe(new Error(), []),
        ], [true, false, false, false, false]);
    });

    it("plainStack: the error's line, then one line per frame", () => {
        assert.equal(plainStack(new TypeError("bad"), [site("/a.js", "f (/a.js:1:2)"), site("/b.js", "/b.js:3:4")]), "TypeError: bad\n    at f (/a.js:1:2)\n    at /b.js:3:4");
    });
});
