/* SPDX-License-Identifier: BSD-3-Clause */
/* --check-setup against sysfs/procfs trees made here: what each says. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_common.h"
#include "check_setup.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512], cmd[600];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s%s'", root, rel);
	assert_int_equal(system(cmd), 0);
}

static void link_to(const char *rel, const char *target)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* A two-node machine: 512 hugepages on node 0, none on node 1, hugetlbfs
 * mounted, an IOMMU, vfio-pci loaded, NIC 0000:3b:00.0 on node 1 bound to
 * vfio-pci and 0000:5e:00.0 still the kernel's ixgbe; CPU 0 on node 0 and
 * CPU 2 on node 1. */
static int make_machine(void **state)
{
	(void)state;
	strcpy(root, "/tmp/prt-sys-XXXXXX");
	assert_non_null(mkdtemp(root));
	put("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "512\n");
	put("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "500\n");
	put("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "512\n");
	put("/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages", "0\n");
	put("/proc/mounts", "sysfs /sys sysfs rw 0 0\nnodev /dev/hugepages hugetlbfs rw 0 0\n");
	dir("/sys/kernel/iommu_groups/0");
	dir("/sys/kernel/iommu_groups/1");
	dir("/sys/module/vfio_pci");
	dir("/sys/bus/pci/drivers/vfio-pci");
	dir("/sys/bus/pci/drivers/ixgbe");
	put("/sys/bus/pci/devices/0000:3b:00.0/numa_node", "1\n");
	link_to("/sys/bus/pci/devices/0000:3b:00.0/driver", "../../../bus/pci/drivers/vfio-pci");
	put("/sys/bus/pci/devices/0000:5e:00.0/numa_node", "0\n");
	link_to("/sys/bus/pci/devices/0000:5e:00.0/driver", "../../../bus/pci/drivers/ixgbe");
	dir("/sys/devices/system/cpu/cpu0/node0");
	dir("/sys/devices/system/cpu/cpu2/node1");
	return 0;
}

static int remove_machine(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

/* run it with "--check-setup" ARGS...; returns the report (caller frees) */
static char *check(int *rc, int argc, char **argv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*rc = prt_check_setup(argc, argv, root, f);
	fclose(f);
	return buf;
}

#define CHECK(rc, ...) check(&(rc), (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)), \
	(char *[]){__VA_ARGS__})

static void nic_on_its_lcores_node(void **state)
{
	int rc;
	char *out;

	(void)state;
	out = CHECK(rc, "-l", "2", "-a", "0000:3b:00.0", "--", "--datadir", "/nonexistent");
	assert_non_null(strstr(out, "ok       hugepages: 512 reserved, 500 free\n"));
	assert_non_null(strstr(out, "PROBLEM  hugepages: NUMA node 1 has none"));
	assert_non_null(strstr(out, "ok       hugetlbfs: mounted\n"));
	assert_non_null(strstr(out, "ok       device 0000:3b:00.0: bound to vfio-pci\n"));
	assert_non_null(strstr(out, "ok       device 0000:3b:00.0: NUMA node 1, the lcores' too\n"));
	assert_non_null(strstr(out, "ok       iommu: 2 IOMMU groups\n"));
	assert_non_null(strstr(out, "ok       vfio-pci: loaded\n"));
	assert_non_null(strstr(out, "PROBLEM  nmap data: /nonexistent/nmap-services: "));
	assert_non_null(strstr(out, "fix: apt-get install nmap-common"));
	assert_int_equal(rc, 1);
	free(out);
}

static void nic_across_nodes_and_a_kernel_driver(void **state)
{
	int rc;
	char *out;

	(void)state;
	out = CHECK(rc, "--lcores", "0@0,1@2", "-a", "0000:3b:00.0", "--allow=0000:5e:00.0",
		"-a", "0000:99:00.0");
	assert_non_null(strstr(out, "PROBLEM  device 0000:3b:00.0: on NUMA node 1, lcore CPU 0 "
		"on node 0"));
	assert_non_null(strstr(out, "PROBLEM  device 0000:5e:00.0: bound to the kernel's ixgbe: "
		"DPDK cannot drive it; fix: ip link set IF down; dpdk-devbind.py -b vfio-pci "
		"0000:5e:00.0\n"));
	assert_non_null(strstr(out, "ok       profile net_ixgbe: drivers-config has one\n"));
	assert_non_null(strstr(out, "PROBLEM  device 0000:99:00.0: no such PCI device"));
	assert_int_equal(rc, 1);
	free(out);
}

/* This VM's shape: no hugepages, no IOMMU; a veth is enough with --no-huge. */
static void a_bare_vm(void **state)
{
	int rc;
	char *out;

	(void)state;
	remove_machine(NULL);
	assert_int_equal(mkdir(root, 0700), 0);
	dir("/sys/class/net/veth0");
	out = CHECK(rc, "--no-pci", "--no-huge", "--vdev", "net_af_packet0,iface=veth0");
	assert_non_null(strstr(out, "ok       hugepages: --no-huge"));
	assert_non_null(strstr(out, "ok       vdev net_af_packet0: net_af_packet on interface "
		"veth0\n"));
	assert_non_null(strstr(out, "ok       profile net_af_packet: drivers-config has one\n"));
	assert_non_null(strstr(out, "ok       iommu: not needed: no device for vfio-pci (this "
		"machine has 0 IOMMU groups)\n"));
	assert_null(strstr(out, "PROBLEM  vdev"));
	free(out);
	out = CHECK(rc, "--vdev", "net_af_packet0,iface=eth9", "-a", "0000:3b:00.0");
	assert_non_null(strstr(out, "PROBLEM  hugepages: none reserved; fix: echo 1024 > "));
	assert_non_null(strstr(out, "PROBLEM  vdev net_af_packet0: no interface eth9"));
	assert_non_null(strstr(out, "PROBLEM  iommu: none: vfio-pci needs one; fix: "
		"intel_iommu=on iommu=pt"));
	assert_non_null(strstr(out, "PROBLEM  vfio-pci: not loaded; fix: modprobe vfio-pci\n"));
	assert_int_equal(rc, 1);
	free(out);
	out = CHECK(rc, "--no-pci", "--no-huge");
	assert_non_null(strstr(out, "PROBLEM  port: --no-pci and no --vdev"));
	assert_int_equal(rc, 1);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(nic_on_its_lcores_node, make_machine, remove_machine),
		cmocka_unit_test_setup_teardown(nic_across_nodes_and_a_kernel_driver, make_machine,
			remove_machine),
		cmocka_unit_test_setup_teardown(a_bare_vm, make_machine, remove_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
