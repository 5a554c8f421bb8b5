/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpdk-prtip --check-setup [EAL options] [-- scanner options]: whether this
 * machine can run the scan those options describe, without starting EAL.
 * It reads sysfs and procfs (under a root a test may move) and says, one
 * line per concern, "ok" or "PROBLEM" with the command that fixes it:
 * root, hugepages (count, per NUMA node, mount), the devices (PCI: IOMMU,
 * vfio-pci, the driver bound, NUMA node against the lcores; vdevs: the
 * interface), the PMD's driver profile, nmap's data files, -sV's cache.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_setup.h"
#include "prt_port.h"

#define MAX_DEVICES 16
#define MAX_CPUS 1024

struct setup_args {
	const char *pci[MAX_DEVICES];  /* -a / --allow */
	unsigned npci;
	const char *vdev[MAX_DEVICES]; /* --vdev */
	unsigned nvdev;
	bool no_pci, no_huge, in_memory;
	const char *lcores;            /* -l LIST or --lcores MAP */
	bool lcore_map;                /* --lcores: "L@C" entries */
	const char *datadir;
	const char *service_cache;
};

struct report {
	const char *root;
	unsigned ok, problems;
	FILE *out;
};

static void __attribute__((format(printf, 4, 5)))
say(struct report *r, bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->out, "%-8s %s: ", ok ? "ok" : "PROBLEM", what);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	if (ok)
		r->ok++;
	else
		r->problems++;
}

/* root + path, formatted */
static const char *__attribute__((format(printf, 3, 4)))
at(const struct report *r, char *buf, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	snprintf(buf, PATH_MAX, "%s%s", r->root, rel);
	return buf;
}

static long read_long(const char *path, long fallback)
{
	FILE *f = fopen(path, "r");
	long v = fallback;

	if (f != NULL) {
		if (fscanf(f, "%ld", &v) != 1)
			v = fallback;
		fclose(f);
	}
	return v;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* entries of @p dir, or only those whose name has @p mark ("0000:3b:00.0" has ':') */
static unsigned count_entries(const char *dir, char mark)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' && (mark == 0 || strchr(e->d_name, mark) != NULL);
	closedir(d);
	return n;
}

/* ---- the arguments: EAL's that matter here, and two of the scanner's ---- */

static const char *value_of(int argc, char **argv, int *i, const char *name, const char *alias)
{
	size_t n = strlen(name);

	if (strcmp(argv[*i], name) == 0 || (alias != NULL && strcmp(argv[*i], alias) == 0))
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

static int parse_args(int argc, char **argv, struct setup_args *a)
{
	bool scanner = false;

	for (int i = 0; i < argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--") == 0) {
			scanner = true;
		} else if (scanner) {
			if ((v = value_of(argc, argv, &i, "--datadir", NULL)) != NULL)
				a->datadir = v;
			else if ((v = value_of(argc, argv, &i, "--service-cache", NULL)) != NULL)
				a->service_cache = v;
		} else if ((v = value_of(argc, argv, &i, "--allow", "-a")) != NULL) {
			if (a->npci == MAX_DEVICES)
				return -1;
			a->pci[a->npci++] = v;
		} else if ((v = value_of(argc, argv, &i, "--vdev", NULL)) != NULL) {
			if (a->nvdev == MAX_DEVICES)
				return -1;
			a->vdev[a->nvdev++] = v;
		} else if ((v = value_of(argc, argv, &i, "--lcores", NULL)) != NULL) {
			a->lcores = v;
			a->lcore_map = true;
		} else if ((v = value_of(argc, argv, &i, "-l", NULL)) != NULL) {
			a->lcores = v;
			a->lcore_map = false;
		} else {
			a->no_pci |= strcmp(argv[i], "--no-pci") == 0;
			a->no_huge |= strcmp(argv[i], "--no-huge") == 0;
			a->in_memory |= strcmp(argv[i], "--in-memory") == 0;
		}
	}
	return 0;
}

/* The CPUs of "-l 0-3,6" or "--lcores 0@0,1@(2-3),4": a bit each. */
static void cpus_of(const struct setup_args *a, bool *cpu)
{
	const char *p = a->lcores;

	while (p != NULL && *p != '\0') {
		const char *at_sign = a->lcore_map ? strpbrk(p, "@,") : NULL;
		char *end;
		if (at_sign != NULL && *at_sign == '@')
			p = at_sign + 1 + (at_sign[1] == '(');
		long lo = strtol(p, &end, 10), hi = lo;
		if (end == p)
			return; /* a shape this check does not read: no NUMA verdict */
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && c >= 0 && c < MAX_CPUS; c++)
			cpu[c] = true;
		p = end + (*end == ')');
		p += *p == ',';
	}
}

static int node_of_cpu(const struct report *r, long cpu)
{
	char path[PATH_MAX];

	for (int node = 0; node < 64; node++)
		if (exists(at(r, path, "/sys/devices/system/cpu/cpu%ld/node%d", cpu, node)))
			return node;
	return -1;
}

/* ---- the checks ---- */

static void check_root(struct report *r)
{
	if (geteuid() == 0)
		say(r, true, "privileges", "root (the scan gives it up for --user once started)");
	else
		say(r, false, "privileges", "not root: DPDK needs root to start; fix: run it as "
			"root (sudo), the scan drops to --user NAME after start");
}

static void check_hugepages(struct report *r, const struct setup_args *a)
{
	char path[PATH_MAX], line[512];
	long total = 0, free_pages = 0;
	bool mounted = false;
	DIR *d;
	struct dirent *e;
	FILE *f;

	if (a->no_huge) {
		say(r, true, "hugepages", "--no-huge: none needed (EAL memory from the heap; slower, "
			"for tests and virtual ports)");
		return;
	}
	d = opendir(at(r, path, "/sys/kernel/mm/hugepages"));
	while (d != NULL && (e = readdir(d)) != NULL) {
		char p2[PATH_MAX];
		if (e->d_name[0] == '.')
			continue;
		total += read_long(at(r, p2, "/sys/kernel/mm/hugepages/%s/nr_hugepages",
			e->d_name), 0);
		free_pages += read_long(at(r, p2, "/sys/kernel/mm/hugepages/%s/free_hugepages",
			e->d_name), 0);
	}
	if (d != NULL)
		closedir(d);
	if (total == 0)
		say(r, false, "hugepages", "none reserved; fix: echo 1024 > "
			"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (or hugepages=N on the "
			"kernel command line; per node: /sys/devices/system/node/nodeN/hugepages), or "
			"--no-huge for a test on a virtual port");
	else if (free_pages == 0)
		say(r, false, "hugepages", "%ld reserved, none free: another DPDK process holds "
			"them; fix: stop it, or remove its files under the hugetlbfs mount", total);
	else
		say(r, true, "hugepages", "%ld reserved, %ld free", total, free_pages);
	for (int node = 0; total > 0 && node < 64; node++) {
		long n = read_long(at(r, path, "/sys/devices/system/node/node%d/hugepages/"
			"hugepages-2048kB/nr_hugepages", node), -1);
		if (n < 0)
			break;
		if (n == 0)
			say(r, false, "hugepages", "NUMA node %d has none: a port on it gets remote "
				"memory; fix: echo 512 > /sys/devices/system/node/node%d/hugepages/"
				"hugepages-2048kB/nr_hugepages", node, node);
	}
	f = fopen(at(r, path, "/proc/mounts"), "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		mounted |= strstr(line, " hugetlbfs ") != NULL;
	if (f != NULL)
		fclose(f);
	if (mounted || a->in_memory)
		say(r, true, "hugetlbfs", "%s", mounted ? "mounted" : "--in-memory: no mount needed");
	else if (total > 0)
		say(r, false, "hugetlbfs", "not mounted; fix: mount -t hugetlbfs nodev /dev/hugepages "
			"(or EAL --in-memory)");
}

/* The PMD's profile (embedded; drivers-config/). */
static void check_profile(struct report *r, const char *pmd)
{
	struct prt_port_profile p;
	char err[256], what[80];
	int rc = prt_port_profile_for_driver(pmd, &p, err, sizeof(err));

	snprintf(what, sizeof(what), "profile %s", pmd);
	if (rc < 0)
		say(r, false, what, "%s", err);
	else
		say(r, true, what, "%s", rc == 1 ? "none of its own: the default profile applies "
			"(drivers-config/default.conf)" : "drivers-config has one");
}

/* The PMD that drives a NIC the kernel's @p driver had, or NULL. */
static const char *pmd_of_kernel_driver(const char *driver)
{
	static const char *const map[][2] = {
		{"ixgbe", "net_ixgbe"}, {"i40e", "net_i40e"}, {"ice", "net_ice"},
		{"igb", "net_e1000_igb"}, {"e1000e", "net_e1000_em"}, {"virtio-pci", "net_virtio"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(driver, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* A PCI device: there, bound to a driver DPDK can use, on the lcores' node. */
static void check_pci_device(struct report *r, const struct setup_args *a, const char *addr,
	bool *needs_vfio)
{
	char path[PATH_MAX], link[PATH_MAX], what[64];
	bool cpu[MAX_CPUS] = {false};
	ssize_t n;
	const char *driver;
	long node;

	snprintf(what, sizeof(what), "device %s", addr);
	if (!exists(at(r, path, "/sys/bus/pci/devices/%s", addr))) {
		say(r, false, what, "no such PCI device; fix: lspci -D lists the addresses "
			"(dpdk-devbind.py --status the network ones)");
		*needs_vfio = true; /* a PCI port is meant: what it will need is said too */
		return;
	}
	n = readlink(at(r, path, "/sys/bus/pci/devices/%s/driver", addr), link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	driver = n > 0 ? strrchr(link, '/') + 1 : NULL;
	if (driver == NULL) {
		say(r, false, what, "bound to no driver; fix: dpdk-devbind.py -b vfio-pci %s", addr);
		*needs_vfio = true;
	} else if (strcmp(driver, "vfio-pci") == 0 || strcmp(driver, "uio_pci_generic") == 0 ||
		   strcmp(driver, "igb_uio") == 0) {
		say(r, true, what, "bound to %s", driver);
		*needs_vfio |= strcmp(driver, "vfio-pci") == 0;
	} else if (strcmp(driver, "mlx5_core") == 0) {
		say(r, true, what, "mlx5_core: bifurcated, DPDK's mlx5 PMD uses it as it is "
			"(profile mlx5_pci)");
	} else {
		const char *pmd = pmd_of_kernel_driver(driver);
		say(r, false, what, "bound to the kernel's %s: DPDK cannot drive it; fix: ip link "
			"set IF down; dpdk-devbind.py -b vfio-pci %s", driver, addr);
		if (pmd != NULL)
			check_profile(r, pmd);
		*needs_vfio = true;
	}
	node = read_long(at(r, path, "/sys/bus/pci/devices/%s/numa_node", addr), -1);
	cpus_of(a, cpu);
	for (long c = 0; node >= 0 && c < MAX_CPUS; c++) {
		int cpu_node = cpu[c] ? node_of_cpu(r, c) : -1;
		if (cpu_node >= 0 && cpu_node != node) {
			say(r, false, what, "on NUMA node %ld, lcore CPU %ld on node %d: every "
				"packet crosses the interconnect; fix: choose lcores of node %ld (lscpu)",
				node, c, cpu_node, node);
			return;
		}
	}
	if (node >= 0)
		say(r, true, what, "NUMA node %ld%s", node, a->lcores != NULL ?
			", the lcores' too" : "");
}

static void check_iommu(struct report *r, bool needs_vfio)
{
	char path[PATH_MAX];
	unsigned groups = count_entries(at(r, path, "/sys/kernel/iommu_groups"), 0);

	if (!needs_vfio) {
		say(r, true, "iommu", "not needed: no device for vfio-pci (this machine has %u "
			"IOMMU groups)", groups);
		return;
	}
	if (groups == 0)
		say(r, false, "iommu", "none: vfio-pci needs one; fix: intel_iommu=on iommu=pt "
			"(or amd_iommu=on) on the kernel command line, reboot; without one, echo 1 > "
			"/sys/module/vfio/parameters/enable_unsafe_noiommu_mode");
	else
		say(r, true, "iommu", "%u IOMMU groups", groups);
	if (exists(at(r, path, "/sys/module/vfio_pci")) ||
	    exists(at(r, path, "/sys/bus/pci/drivers/vfio-pci")))
		say(r, true, "vfio-pci", "loaded");
	else
		say(r, false, "vfio-pci", "not loaded; fix: modprobe vfio-pci");
}

/* "net_af_packet0,iface=eth1": the PMD is the name without its number. */
static void check_vdev(struct report *r, const char *vdev)
{
	char pmd[64], path[PATH_MAX], what[80];
	size_t n = strcspn(vdev, ",");
	const char *iface = strstr(vdev, "iface=");

	snprintf(pmd, sizeof(pmd), "%.*s", (int)n, vdev);
	for (size_t k = strlen(pmd); k > 0 && pmd[k - 1] >= '0' && pmd[k - 1] <= '9'; k--)
		pmd[k - 1] = '\0';
	snprintf(what, sizeof(what), "vdev %.*s", (int)n, vdev);
	if (iface != NULL) {
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(iface + 6, ","), iface + 6);
		if (exists(at(r, path, "/sys/class/net/%s", name)))
			say(r, true, what, "%s on interface %s", pmd, name);
		else
			say(r, false, what, "no interface %s; fix: ip link shows the interfaces "
				"(in this network namespace)", name);
	} else {
		say(r, true, what, "%s", pmd);
	}
	check_profile(r, pmd);
}

static void check_devices(struct report *r, const struct setup_args *a)
{
	bool needs_vfio = false;

	if (a->npci == 0 && a->nvdev == 0 && a->no_pci) {
		say(r, false, "port", "--no-pci and no --vdev: no port to scan from; fix: --vdev "
			"net_af_packet0,iface=IF or -a PCI-ADDRESS");
		return;
	}
	for (unsigned i = 0; i < a->npci; i++)
		check_pci_device(r, a, a->pci[i], &needs_vfio);
	if (a->npci == 0 && !a->no_pci) {
		char path[PATH_MAX];
		/* the driver's directory holds its files too: what names an address counts */
		unsigned n = count_entries(at(r, path, "/sys/bus/pci/drivers/vfio-pci"), ':');
		say(r, n > 0, "pci", "EAL probes every device bound to a DPDK driver%s",
			n > 0 ? "" : "; none is bound to vfio-pci; fix: dpdk-devbind.py -b vfio-pci "
			"ADDR, or -a ADDR, or --no-pci with a --vdev");
		needs_vfio = true;
	}
	for (unsigned i = 0; i < a->nvdev; i++)
		check_vdev(r, a->vdev[i]);
	check_iommu(r, needs_vfio);
}

static void check_data_files(struct report *r, const struct setup_args *a)
{
	static const char *const files[] = {"nmap-services", "nmap-service-probes",
		"nmap-payloads", "nmap-protocols"};
	const char *dir = a->datadir != NULL ? a->datadir : "/usr/share/nmap";
	unsigned missing = 0;
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		if (access(path, R_OK) != 0) {
			say(r, false, "nmap data", "%s: %s; fix: apt-get install nmap-common (or "
				"--datadir DIR)", path, strerror(errno));
			missing++;
		}
	}
	if (missing == 0)
		say(r, true, "nmap data", "%s has nmap-services, nmap-service-probes, "
			"nmap-payloads and nmap-protocols", dir);
}

static void check_service_cache(struct report *r, const struct setup_args *a)
{
	const char *dir = a->service_cache != NULL ? a->service_cache :
		geteuid() == 0 ? "/var/cache/dpdk-prtip" : NULL;
	struct stat st;

	if (dir == NULL) {
		say(r, true, "service cache", "$XDG_CACHE_HOME/dpdk-prtip or ~/.cache/dpdk-prtip "
			"(not root)");
		return;
	}
	if (stat(dir, &st) != 0)
		say(r, true, "service cache", "%s does not exist yet: the first -sV makes it "
			"(compiling nmap-service-probes takes tens of seconds, once)", dir);
	else if (!S_ISDIR(st.st_mode))
		say(r, false, "service cache", "%s is not a directory; fix: rm %s", dir, dir);
	else if ((st.st_mode & 022) != 0 || st.st_uid != geteuid())
		say(r, false, "service cache", "%s is writable by others or not ours: it is not "
			"used (a database from it could be anyone's); fix: chown root %s; chmod "
			"go-w %s", dir, dir, dir);
	else
		say(r, true, "service cache", "%s (%u files)", dir, count_entries(dir, 0));
}

int prt_check_setup(int argc, char **argv, const char *root, FILE *out)
{
	struct setup_args a = {0};
	struct report r = {.root = root, .out = out};

	if (parse_args(argc, argv, &a) != 0) {
		fprintf(stderr, "dpdk-prtip: --check-setup: more than %d devices\n", MAX_DEVICES);
		return 2;
	}
	check_root(&r);
	check_hugepages(&r, &a);
	check_devices(&r, &a);
	check_data_files(&r, &a);
	check_service_cache(&r, &a);
	fprintf(out, "%u ok, %u problem%s\n", r.ok, r.problems, r.problems == 1 ? "" : "s");
	return r.problems == 0 ? 0 : 1;
}
