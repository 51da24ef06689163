// pulumi-resource-command: swarm-macvlan's own implementation of the Pulumi provider plugin
// "command", for the resources command:remote:Command and command:local:Command as the npm SDK
// @pulumi/command 1.2.1 sends them. The upstream provider cannot be built from the Go module
// proxy this project can reach; this one needs only the Pulumi Go SDK and x/crypto.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is what GetPluginInfo reports: the @pulumi/command release whose behaviour this
// implements, with build metadata saying whose build it is (semver ignores it when matching
// versions). Builds stamp it: -ldflags "-X main.version=1.2.1+swarm-macvlan".
var version = "1.2.1+swarm-macvlan"

func main() {
	err := provider.Main("command", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return newProvider(host), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}
