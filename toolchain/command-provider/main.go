// pulumi-resource-command: swarm-macvlan's own implementation of the Pulumi provider plugin
// "command", for the resources command:remote:Command and command:local:Command as the npm SDK
// @pulumi/command 1.2.1 sends them. The upstream provider cannot be built from the Go module
// proxy this project can reach; this one needs only the Pulumi Go SDK and x/crypto.
//
// SSH connections. By default each remote command dials a new connection and closes it when
// it ends, as upstream 1.2.1 does: a host sees one login per command, which is what users of
// the upstream provider get. With SWARM_MACVLAN_COMMAND_POOL=1 in the environment of the
// Pulumi CLI (plugins inherit it), the commands for one host share one connection kept for
// the whole run instead (pool.go): one login per host. Any value other than 1, 0 or empty
// stops the provider at start, naming the variable.
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

// poolEnv names the variable that selects one pooled connection per host (see above).
const poolEnv = "SWARM_MACVLAN_COMMAND_POOL"

// pooledFromEnv reads poolEnv's value: "1" pools, "0" or "" (unset) does not.
func pooledFromEnv(value string) (bool, error) {
	switch value {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, fmt.Errorf("%s=%q: expected 1 (one pooled SSH connection per host) or 0 or unset "+
		"(a new SSH connection per command, as upstream)", poolEnv, value)
}

func main() {
	pooled, err := pooledFromEnv(os.Getenv(poolEnv))
	if err == nil {
		err = provider.Main("command", func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
			return newProvider(host, pooled), nil
		})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-command: %v\n", err)
		os.Exit(1)
	}
}
