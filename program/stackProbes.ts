// The root program's stack traces. The Pulumi SDK takes stack traces it rarely shows: one for
// every resource it registers (Resource.callsites, for the resource's source position) and one
// for every promise it tracks (debuggablePromise, for its report of leaked promises). Its run
// script has installed source-map-support, which maps every frame of every such trace through
// the source maps: about 0.5 s of CPU in a 12-node no-op `up` on the lab. The library itself
// leaves this alone (a package must not change its users' globals); only the root program, which
// Pulumi.yaml runs, calls this.

/** A stack in V8's own format: the error's first line, then one `    at <frame>` line per frame. */
export function plainStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
    return [String(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
}

/** True for the SDK's own stack probes: an Error with no message, made in @pulumi/pulumi's code. */
export function isSdkProbe(error: Error, frames: readonly NodeJS.CallSite[]): boolean {
    return error.message === "" && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(frames[0]?.getFileName() ?? "");
}

/**
 * Formats the SDK's stack probes (isSdkProbe) as V8 would, without source maps; every other
 * error's stack goes to the formatter installed before (source-map-support's: the operator's
 * errors, and the SDK's errors that have a message, keep their TypeScript positions). The
 * resources' source positions then name dist/'s JavaScript lines. Does nothing when no
 * formatter is installed (V8's own is as cheap).
 */
export function unmappedStackProbes(): void {
    const mapped = Error.prepareStackTrace;
    if (mapped === undefined) {
        return;
    }
    Error.prepareStackTrace = (error, frames) => (isSdkProbe(error, frames) ? plainStack(error, frames) : mapped(error, frames));
}
