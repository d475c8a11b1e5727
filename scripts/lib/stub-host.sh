# Sourced by test stages: a test host in its own network namespace, reached over a veth pair, where the
# Messages API stub runs (the sandbox refuses loopback, so the stub must look like another machine).
# stub_host_up NS VETH PREFIX: the host side gets PREFIX.1/30, the test host PREFIX.2/30.
stub_host_up() {
    local ns=$1 veth=$2 prefix=$3
    ip netns add "$ns"
    ip link add "$veth" type veth peer name "${veth}p"
    ip link set "${veth}p" netns "$ns"
    ip addr add "$prefix.1/30" dev "$veth"
    ip link set "$veth" up
    ip netns exec "$ns" ip addr add "$prefix.2/30" dev "${veth}p"
    ip netns exec "$ns" ip link set "${veth}p" up
    ip netns exec "$ns" ip link set lo up
}
