// The host's network managers (systemd-networkd, NetworkManager): where the library tells them
// to leave its interfaces, and a takeover's parent, alone, and how it makes them read that again.
import { line } from "../shell";

export const NETWORKD_DIR = "/etc/systemd/network";
export const NETWORK_MANAGER_DIR = "/etc/NetworkManager/conf.d";

/**
 * The files that keep a takeover's parent without an address (systemd-networkd) or unmanaged
 * (NetworkManager): written by the boot unit, and removed only once the host's address is back
 * on the parent (by the takeover's move back), or at boot when no takeover is recorded.
 */
export function parentManagerFiles(network: string): [string, string] {
    return [`${NETWORKD_DIR}/00-swarm-macvlan-${network}-parent.network`, `${NETWORK_MANAGER_DIR}/swarm-macvlan-${network}-parent.conf`];
}

/**
 * Script lines that make each running network manager read its configuration again; one that
 * is installed but stopped has nothing to read, and a reload that fails fails the script.
 */
export function reloadManagers(): string[] {
    return [
        `if [ -d ${NETWORKD_DIR} ] && systemctl is-active --quiet systemd-networkd; then ${line(["networkctl", "reload"])}; fi`,
        `if [ -d ${NETWORK_MANAGER_DIR} ] && systemctl is-active --quiet NetworkManager; then ${line(["nmcli", "general", "reload", "conf"])}; fi`,
    ];
}

/**
 * Left in a takeover's record by the boot unit when it removed the parent's files while the
 * takeover was still in place (it does not reload the managers then): the takeover's move back
 * reloads them once the address is on the parent again.
 */
export const RELOAD_MARK = "reload-managers";
