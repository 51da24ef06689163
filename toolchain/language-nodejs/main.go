// Command pulumi-language-nodejs is swarm-macvlan's own minimal language host for Node.js
// Pulumi programs: the Go module proxy reachable here serves the upstream one at no version,
// this one needs only pulumi/sdk/v3. It runs the program's own @pulumi/pulumi run script
// with the engine's addresses, the stack and its config; no codegen, packing or policy packs.
// Build (scripts/pulumi-engine reads the version flag back with `go version -m`):
//
//	go build -o BIN/pulumi-language-nodejs \
//	  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.259.0" .
//
// The engine runs `pulumi-language-nodejs [-v=N --logtostderr --tracing URL] ENGINE_ADDRESS`
// and reads the gRPC port from our first stdout line; it shows the user what follows.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// pluginVersion is the -X version, else the @pulumi/pulumi release this host was written for.
func pluginVersion() string {
	if version.Version != "" {
		return version.Version
	}
	return "3.259.0"
}

func main() {
	// glog's -v and --logtostderr are registered on flag.CommandLine by the logging package.
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint, passed on to the program")
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(pluginVersion())
		return
	}
	logging.InitLogging(false, 0, false)
	engineAddr := "" // none when started by hand: the engine then attaches with Handshake
	if flag.NArg() > 0 {
		engineAddr = flag.Arg(flag.NArg() - 1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h := newHost(engineAddr, *tracing)
	if engineAddr != "" { // if the engine dies without telling us, do not linger as an orphan
		if err := rpcutil.Healthcheck(ctx, engineAddr, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	// On a signal, interrupt running programs (they run in process groups of their own, so
	// they get no signal meant for ours), then stop once in-flight calls have returned.
	serverCancel := make(chan bool)
	go func() {
		<-ctx.Done()
		h.cancelAll()
		close(serverCancel)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{Cancel: serverCancel,
		Init: func(srv *grpc.Server) error { pulumirpc.RegisterLanguageRuntimeServer(srv, h); return nil }})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start the gRPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("the gRPC server stopped: %w", err))
	}
}
