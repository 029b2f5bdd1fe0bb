/*
 * lab-init: the small exec'd stage of Lab's runtime (runc's nsexec in miniature).
 *
 * .NET cannot run code between fork and exec, and a multi-threaded process must not unshare its own
 * namespaces, so everything that has to happen in the child before exec lives here. All policy (which
 * namespaces, which capabilities, which cgroups, which paths) is decided by Lab.Runtime and passed as
 * arguments; this file only carries it out, and reports failures as one JSON line on a status fd.
 *
 *   seccomp-bpf: once per server process
 *
 *   Lab.Runtime ── rules (Docker's default profile, evaluated) on stdin ──▶ lab-init seccomp-bpf (libseccomp)
 *               ◀── BPF program on stdout ──────────────────────────────────  kept open, passed to boot and exec
 *
 *   boot: start a lab machine
 *
 *   Lab.Runtime (server)         lab-init boot (P)                 lab-init init (C, PID 1 inside)
 *   ─────────────────────        ─────────────────                 ──────────────────────────────
 *   mkdir cgroups, set limits
 *   disk.img → /dev/loopN
 *     (autoclear), held open
 *   posix_spawn ───────────────▶ join cgroups (cgroup.procs)
 *                                unshare(mnt uts ipc net cgroup pid)
 *                                fork ───────────────────────────▶ [--disk] mount it (ext4) on --disk-dir,
 *                                                                   mkdir --upper, --work on it
 *                                                                   mount overlay, /proc, /dev, /sys ro,
 *                                                                   its cgroups ro at /sys/fs/cgroup
 *                                                                   mask paths, hostname, lo up
 *                                                                   pivot_root, drop caps, no_new_privs,
 *                                                                   seccomp (BPF program from fd 5)
 *                                ◀──────────────── "ok" / error ── ready pipe
 *   ◀── {"pid":N} or {"error"} ─ status fd, exit
 *   close /dev/loopN                                                reap zombies forever
 *   (the disk's mount lives only in the machine's mount namespace: when the machine dies it is unmounted, and the
 *    loop device, autoclear, unbinds itself)
 *
 *   exec: run a command inside a running machine
 *
 *   Lab.Runtime (server)         lab-init exec (P)                 child (inside)
 *   ─────────────────────        ─────────────────                 ──────────────
 *   posix_spawn ───────────────▶ join cgroups, setns(cgroup ipc uts net pid mnt)
 *                                [tty] open the machine's /dev/ptmx
 *   ◀─── master fd (SCM_RIGHTS) ─ console socket
 *                                fork ───────────────────────────▶ setsid, [tty] controlling tty
 *                                                                   drop caps, no_new_privs, seccomp,
 *                                                                   execve
 *   ◀── {"error"} on failure ─── status fd (CLOEXEC: EOF = exec'd) ─┘
 *   ◀── exit status ──────────── waitpid, forward signals, exit with the child's status (128+sig)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <ftw.h>
#include <dirent.h>
#include <linux/openat2.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#define MAX_LIST 32

struct config {
    const char *mode;
    const char *name, *lower, *upper, *work, *rootfs;
    const char *disk, *disk_dir;
    const char *cgroups[MAX_LIST];
    int ncgroups;
    const char *cgroupfs[MAX_LIST]; /* TYPE:OPTIONS:DIR, the machine's own view at /sys/fs/cgroup */
    int ncgroupfs;
    const char *binds[MAX_LIST];    /* HOST_DIR:DIR_INSIDE[:ro], attached after pivot_root */
    int nbinds;
    const char *layers[MAX_LIST * 4]; /* run: image layer dirs on the host, top first */
    int nlayers;
    const char *mounts[MAX_LIST * 2]; /* run: --mount SRC:DST[:OPTS] (kind 'b') and --tmpfs DST[:OPTS] ('t'), in order */
    char mount_kinds[MAX_LIST * 2];
    int nmounts;
    const char *id, *hostname, *user, *netns;
    int layer_fds[MAX_LIST * 4]; /* run (agent): the layers as detached mounts the server cloned, top first */
    int nlayer_fds;
    int cgroup_fds[MAX_LIST];      /* run (agent): the container's cgroup join files (v1 tasks, v2 cgroup.procs), opened by the server */
    int ncgroup_fds;
    int netns_fd;  /* run (agent): --network container:NAME, that container's net namespace; -1 otherwise */
    int creds_fd;  /* run (agent): the container sends its pid (SCM_CREDENTIALS) here once its namespaces are made */
    int agent_fd;  /* agent: the server's end of the request socket */
    int sync_fd; /* run: the container waits for a byte (or EOF) here before its command: its network comes first */
    int seccomp_fd;
    struct sock_fprog seccomp;
    int caps[64];
    int ncaps;
    int status_fd;
    int console_fd;
    int target_pid;
    const char *cwd;
    char *env[MAX_LIST * 4];
    int nenv;
    char **argv;
};

static int status_fd = -1;
static void apply_seccomp(const struct config *c);
static void set_user(const char *spec);
static void use_container_path(struct config *c);

/* Reports one JSON line on the status fd (or stderr) and exits. The message names the call and the object. */
static void die(const char *fmt, ...)
{
    char msg[512];
    int err = errno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = ' ';
    dprintf(status_fd >= 0 ? status_fd : 2, "{\"error\":\"%s: %s\",\"errno\":%d}\n", msg, strerror(err), err);
    _exit(125);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) die("open '%s'", path);
    if (write(fd, text, strlen(text)) < 0) die("write '%s'", path);
    close(fd);
}

static void join_cgroups(const struct config *c)
{
    char path[4096], pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    for (int i = 0; i < c->ncgroups; i++) {
        snprintf(path, sizeof path, "%s/cgroup.procs", c->cgroups[i]);
        write_file(path, pid);
    }
}

/* Capabilities: keep only the list Lab.Runtime passed (Docker's default set), in every set. */
static void drop_capabilities(const struct config *c)
{
    unsigned long long keep = 0;
    for (int i = 0; i < c->ncaps; i++) keep |= 1ULL << c->caps[i];
    for (int cap = 0; cap < 64; cap++) {
        if (keep & (1ULL << cap)) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) die("prctl PR_CAPBSET_DROP %d", cap);
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) die("prctl PR_CAP_AMBIENT");
    struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = { 0 };
    data[0].effective = data[0].permitted = data[0].inheritable = (unsigned)keep;
    data[1].effective = data[1].permitted = data[1].inheritable = (unsigned)(keep >> 32);
    if (syscall(SYS_capset, &hdr, data) < 0) die("capset");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl PR_SET_NO_NEW_PRIVS");
}

static void mount_or_die(const char *src, const char *dst, const char *type, unsigned long flags, const char *data)
{
    if (mount(src, dst, type, flags, data) < 0) die("mount %s on '%s'", type ? type : "bind", dst);
}

static void make_dev(const char *root, const char *name, mode_t mode, int major, int minor)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/dev/%s", root, name);
    if (mknod(path, S_IFCHR | mode, makedev(major, minor)) < 0 && errno != EEXIST) die("mknod '%s'", path);
    chmod(path, mode); /* umask-independent */
}

static void make_link(const char *root, const char *target, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, name);
    if (symlink(target, path) < 0 && errno != EEXIST) die("symlink '%s'", path);
}

static void mkdir_in(const char *root, const char *name, mode_t mode)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, name);
    if (mkdir(path, mode) < 0 && errno != EEXIST) die("mkdir '%s'", path);
}

static void setup_dev(const char *r)
{
    char dev[4096], pts[4096], shm[4096];
    snprintf(dev, sizeof dev, "%s/dev", r);
    snprintf(pts, sizeof pts, "%s/dev/pts", r);
    snprintf(shm, sizeof shm, "%s/dev/shm", r);
    mount_or_die("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
    make_dev(r, "null", 0666, 1, 3);
    make_dev(r, "zero", 0666, 1, 5);
    make_dev(r, "full", 0666, 1, 7);
    make_dev(r, "random", 0666, 1, 8);
    make_dev(r, "urandom", 0666, 1, 9);
    make_dev(r, "tty", 0666, 5, 0);
    mkdir_in(r, "dev/pts", 0755);
    mkdir_in(r, "dev/shm", 01777);
    mount_or_die("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
    mount_or_die("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    make_link(r, "pts/ptmx", "dev/ptmx");
    make_link(r, "/proc/self/fd", "dev/fd");
    make_link(r, "/proc/self/fd/0", "dev/stdin");
    make_link(r, "/proc/self/fd/1", "dev/stdout");
    make_link(r, "/proc/self/fd/2", "dev/stderr");
}

/* The same masked and read-only /proc paths as Docker's default spec. */
static void harden_proc(const char *r)
{
    static const char *masked[] = { "proc/asound", "proc/acpi", "proc/kcore", "proc/keys", "proc/latency_stats",
        "proc/timer_list", "proc/timer_stats", "proc/sched_debug", "proc/scsi", "sys/firmware", "sys/devices/virtual/powercap" };
    static const char *readonly[] = { "proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger" };
    char path[4096], null[4096];
    snprintf(null, sizeof null, "%s/dev/null", r);
    for (size_t i = 0; i < sizeof masked / sizeof *masked; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", r, masked[i]);
        if (stat(path, &st) < 0) continue;
        if (S_ISDIR(st.st_mode))
            mount_or_die("tmpfs", path, "tmpfs", MS_RDONLY, "size=0");
        else
            mount_or_die(null, path, NULL, MS_BIND, NULL);
    }
    for (size_t i = 0; i < sizeof readonly / sizeof *readonly; i++) {
        snprintf(path, sizeof path, "%s/%s", r, readonly[i]);
        if (access(path, F_OK) < 0) continue;
        mount_or_die(path, path, NULL, MS_BIND | MS_REC, NULL);
        mount_or_die(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    }
}

static void loopback_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) die("socket for lo");
    struct ifreq ifr = { 0 };
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("ioctl SIOCGIFFLAGS lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("ioctl SIOCSIFFLAGS lo");
    close(s);
}

/* The machine's disk (its quota): Lab.Runtime bound the ext4 image to a loop device; mounted here, after the
   namespace went private, it exists in this namespace only. The overlay's upper and work dirs live on it. */
static void mount_disk(const struct config *c)
{
    mount_or_die(c->disk, c->disk_dir, "ext4", MS_NOSUID | MS_NODEV | MS_NOATIME, NULL);
    if (mkdir(c->upper, 0755) < 0 && errno != EEXIST) die("mkdir '%s'", c->upper);
    if (mkdir(c->work, 0700) < 0 && errno != EEXIST) die("mkdir '%s'", c->work);
}

/* The machine's own cgroups at /sys/fs/cgroup, read-only (the CVE-2022-0492 class: no release_agent, no
   cgroup.procs to write). Mounted after unshare(CLONE_NEWCGROUP), each hierarchy's root is the machine's cgroup,
   so memory.limit_in_bytes there is the machine's limit. Lab.Runtime names the hierarchies (TYPE:OPTIONS:DIR). */
static void mount_cgroupfs(const struct config *c)
{
    const unsigned long ro = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    char base[4096], path[4096 + 256];
    if (!c->ncgroupfs) return;
    snprintf(base, sizeof base, "%s/sys/fs/cgroup", c->rootfs);
    if (c->ncgroupfs == 1 && !strncmp(c->cgroupfs[0], "cgroup2:", 8)) {
        mount_or_die("cgroup2", base, "cgroup2", ro, NULL);
        return;
    }
    mount_or_die("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=64k");
    for (int i = 0; i < c->ncgroupfs; i++) {
        char spec[512], *save = NULL;
        snprintf(spec, sizeof spec, "%s", c->cgroupfs[i]);
        const char *type = strtok_r(spec, ":", &save), *opts = strtok_r(NULL, ":", &save),
                   *dir = strtok_r(NULL, ":", &save);
        if (!type || !opts || !dir || strchr(dir, '/') || dir[0] == '.') { errno = EINVAL; die("bad --cgroupfs '%s'", c->cgroupfs[i]); }
        snprintf(path, sizeof path, "%s/%s", base, dir);
        if (mkdir(path, 0555) < 0 && errno != EEXIST) die("mkdir '%s'", path);
        mount_or_die("cgroup", path, type, ro, opts);
    }
    mount_or_die(NULL, base, NULL, MS_REMOUNT | ro, "mode=755,size=64k");
}

/* pivot_root onto itself, then detach the old root: the host's tree is gone from this namespace. */
static void pivot_into(const char *r)
{
    if (chdir(r) < 0) die("chdir '%s'", r);
    if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root '%s'", r);
    if (umount2(".", MNT_DETACH) < 0) die("umount old root");
    if (chdir("/") < 0) die("chdir /");
}

/* mkdir -p of a path inside the (pivoted) root: symlinks the student planted resolve inside it, never on the host. */
static void mkdir_p(const char *path, mode_t mode)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) die("mkdir '%s'", buf);
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST) die("mkdir '%s'", buf);
}

/* Bind sources are host paths, targets are paths inside: each source is cloned into a detached mount while the host
   tree is still reachable, and attached after pivot_root, where the target's path resolves inside the machine. Doing
   it before the pivot would let a symlink planted in the student's files steer a mkdir or a mount onto the host.
   The machine's disk also holds /var/lib/lab (its containers' layers and volumes): directly on ext4, since an
   overlay upper dir cannot live on the machine's own overlay root. */
static int clone_bind_sources(const struct config *c, int *trees)
{
    int n = 0;
    char src[4096];
    for (int i = 0; i < c->nbinds; i++) {
        snprintf(src, sizeof src, "%s", c->binds[i]);
        char *colon = strchr(src, ':');
        if (!colon) { errno = EINVAL; die("bad --bind '%s'", c->binds[i]); }
        *colon = 0;
        trees[n] = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (trees[n] < 0) die("open_tree '%s'", src);
        n++;
    }
    if (c->disk_dir) {
        snprintf(src, sizeof src, "%s/lab", c->disk_dir);
        if (mkdir(src, 0711) < 0 && errno != EEXIST) die("mkdir '%s'", src);
        trees[n] = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (trees[n] < 0) die("open_tree '%s'", src);
        n++;
    }
    return n;
}

static void attach_tree(int tree, const char *target, int readonly)
{
    mkdir_p(target, 0755);
    if (move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) die("move_mount '%s'", target);
    close(tree);
    if (readonly) mount_or_die(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

static void attach_binds(const struct config *c, const int *trees, int ntrees)
{
    int i = 0;
    for (; i < c->nbinds; i++) {
        const char *target = strchr(c->binds[i], ':') + 1;
        char dst[4096];
        snprintf(dst, sizeof dst, "%s", target);
        char *ro = strchr(dst, ':');
        if (ro) *ro = 0;
        attach_tree(trees[i], dst, ro && !strcmp(ro + 1, "ro"));
    }
    if (i < ntrees) attach_tree(trees[i], "/var/lib/lab", 0);
}

/* Written after pivot_root, so a symlink the student left at /etc/hostname points inside the machine only. */
static void machine_files(const struct config *c)
{
    int fd = open("/etc/hostname", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd >= 0) { dprintf(fd, "%s\n", c->hostname ? c->hostname : c->name); close(fd); }
    /* The Engine API's socket directory is bound at /run/lab-engine; docker and docker-py look for /var/run/docker.sock. */
    if (c->nbinds && symlink("/run/lab-engine/docker.sock", "/var/run/docker.sock") < 0 && errno != EEXIST && errno != ENOENT)
        die("symlink /var/run/docker.sock");
}

static void setup_rootfs(const struct config *c)
{
    const char *r = c->rootfs;
    char opts[8192], path[4096];
    /* Nothing we mount may propagate back to the host's mount namespace. */
    mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    if (c->disk) mount_disk(c);
    snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s", c->lower, c->upper, c->work);
    mount_or_die("overlay", r, "overlay", 0, opts);
    mkdir_in(r, "proc", 0555);
    mkdir_in(r, "sys", 0555);
    mkdir_in(r, "dev", 0755);
    mkdir_in(r, "tmp", 01777);
    snprintf(path, sizeof path, "%s/proc", r);
    mount_or_die("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    snprintf(path, sizeof path, "%s/sys", r);
    mount_or_die("sysfs", path, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_cgroupfs(c);
    setup_dev(r);
    harden_proc(r);
    if (sethostname(c->name, strlen(c->name)) < 0) die("sethostname '%s'", c->name);
    loopback_up();
    int trees[MAX_LIST + 1], ntrees = clone_bind_sources(c, trees);
    pivot_into(r);
    attach_binds(c, trees, ntrees);
    machine_files(c);
}

/* PID 1 of a machine: reap every orphan; on SIGTERM pass it on to everyone and leave. SIGCHLD and SIGTERM stay
   blocked except inside sigsuspend, so no exit can slip between the reaping pass and the wait. */
static volatile sig_atomic_t terminating;
static void on_term(int sig) { (void)sig; terminating = 1; }
static void on_child(int sig) { (void)sig; }

static void init_loop(void)
{
    sigset_t blocked, waiting;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGCHLD);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, &waiting);
    sigdelset(&waiting, SIGCHLD);
    sigdelset(&waiting, SIGTERM);
    sigdelset(&waiting, SIGINT);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, NULL);
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        if (terminating) {
            kill(-1, SIGTERM);
            _exit(0);
        }
        sigsuspend(&waiting);
    }
}

static void redirect_stdio_to_null(void)
{
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) die("open /dev/null");
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    if (fd > 2) close(fd);
}

static int cmd_boot(struct config *c)
{
    int ready[2];
    join_cgroups(c);
    if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWPID) < 0)
        die("unshare");
    if (pipe2(ready, O_CLOEXEC) < 0) die("pipe");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        close(ready[0]);
        /* The machine's init keeps no descriptor of the server's but the ready pipe, closed below. */
        if (ready[1] != 3 && dup3(ready[1], 3, O_CLOEXEC) < 0) die("dup3 ready pipe");
        syscall(SYS_close_range, 4, ~0U, 0);
        status_fd = 3; /* errors from here on go to the parent, which relays them */
        setsid();
        setup_rootfs(c);
        drop_capabilities(c);
        redirect_stdio_to_null();
        apply_seccomp(c);
        if (write(3, "ok\n", 3) < 0) _exit(125);
        close(3);
        init_loop();
    }
    close(ready[1]);
    char buf[1024];
    ssize_t n, len = 0;
    while ((n = read(ready[0], buf + len, sizeof buf - 1 - len)) > 0) len += n;
    buf[len] = 0;
    if (strncmp(buf, "ok\n", 3) != 0) {
        waitpid(child, NULL, 0);
        dprintf(status_fd, "%s", len ? buf : "{\"error\":\"machine init exited during setup\",\"errno\":0}\n");
        return 125;
    }
    dprintf(status_fd, "{\"pid\":%d}\n", child);
    return 0;
}

/* One byte with one control message (a descriptor, or credentials) on a unix socket. */
static void send_control(int sock, int type, const void *data, size_t len)
{
    char cbuf[CMSG_SPACE(sizeof(struct ucred))] = { 0 };
    char byte = 'M';
    struct iovec iov = { &byte, 1 };
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cbuf;
    msg.msg_controllen = CMSG_SPACE(len);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = type;
    cm->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(cm), data, len);
    if (sendmsg(sock, &msg, 0) < 0) die("sendmsg on fd %d", sock);
}

/* Opens a pty inside the machine (its own devpts) and hands the master to Lab.Runtime. */
static int open_console(int console_fd)
{
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) die("open /dev/ptmx");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) die("ioctl TIOCSPTLCK");
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (slave < 0) die("ioctl TIOCGPTPEER");
    send_control(console_fd, SCM_RIGHTS, &master, sizeof master);
    close(master);
    close(console_fd);
    return slave;
}

static pid_t exec_child;
static void forward_signal(int sig) { if (exec_child > 0) kill(exec_child, sig); }

/* exec joins the container's cgroups as a thread, not as a process: "0" (the calling thread) written to a v1
 * hierarchy's tasks file is moved without the kernel's global threadgroup lock, whose write side waits for an RCU
 * grace period (cgroup.procs took 5-30 ms per exec here, a tasks write 0.02-0.3 ms). lab-init is single-threaded,
 * so moving its one thread moves the process, and the child it forks inherits the cgroups. cgroup v2 has no tasks
 * file outside threaded subtrees: there cgroup.procs, as join_cgroups does. */
static void join_cgroups_as_thread(const struct config *c)
{
    char path[4096], pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    for (int i = 0; i < c->ncgroups; i++) {
        snprintf(path, sizeof path, "%s/tasks", c->cgroups[i]);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            snprintf(path, sizeof path, "%s/cgroup.procs", c->cgroups[i]);
            write_file(path, pid);
            continue;
        }
        if (fd < 0) die("open '%s'", path);
        if (write(fd, "0", 1) < 0) die("write '%s'", path);
        close(fd);
    }
}

static int cmd_exec(struct config *c)
{
    static const char *ns[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt" };
    int fds[6];
    char path[64];
    /* Whatever the server leaked without O_CLOEXEC must not reach the machine (CVE-2024-21626 class): from fd 3
       up, everything closes on exec; the status fd is meant to, the console fd is closed before exec. */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) die("close_range");
    join_cgroups_as_thread(c);
    /* Open every namespace first: after setns(mnt) the host's /proc is out of reach. */
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", c->target_pid, ns[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) die("open '%s'", path);
    }
    for (int i = 0; i < 6; i++) {
        if (setns(fds[i], 0) < 0) die("setns %s", ns[i]);
        close(fds[i]);
    }
    int slave = -1;
    if (c->console_fd >= 0) slave = open_console(c->console_fd);
    int sfd = c->status_fd;
    if (sfd > 2 && fcntl(sfd, F_SETFD, FD_CLOEXEC) < 0) die("fcntl status fd");
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        setsid();
        if (slave >= 0) {
            if (ioctl(slave, TIOCSCTTY, 0) < 0) die("ioctl TIOCSCTTY");
            dup2(slave, 0); dup2(slave, 1); dup2(slave, 2);
            if (slave > 2) close(slave);
        }
        const char *cwd = c->cwd ? c->cwd : "/";
        if (chdir(cwd) < 0) die("chdir '%s'", cwd);
        drop_capabilities(c);
        if (c->user) set_user(c->user);
        c->env[c->nenv] = NULL;
        use_container_path(c);
        apply_seccomp(c);
        execvpe(c->argv[0], c->argv, c->env);
        die("exec '%s'", c->argv[0]);
    }
    exec_child = child;
    if (slave >= 0) close(slave);
    if (sfd > 2) close(sfd); /* the child holds its copy until exec: EOF on the server side means it exec'd */
    struct sigaction sa = { 0 };
    sa.sa_handler = forward_signal;
    int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
    int st;
    while (waitpid(child, &st, 0) < 0)
        if (errno != EINTR) return 125;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int parse_int(const char *s, const char *what);
static void parse_args(struct config *c, int argc, char **argv);
/* run: a container inside a running machine (nested: its namespaces are children of the machine's, its cgroup is
 * below the machine's, its layers and upper dir are seen only from inside the machine), started by the machine's
 * agent: a lab-init process that lives in the machine's six namespaces, so a container costs a clone, not an exec
 * plus six setns.
 *
 *   Lab.Runtime (server)                 agent (A, in the machine)          container (C, PID 1 of its pid ns)
 *   once per machine: spawn `lab-init agent` (joins the machine's cgroups, setns all six, clones A with
 *   CLONE_PARENT and exits: A is the server's child)
 *   per container: open_tree the layers (detached clones), open its cgroup.procs files, pipes, creds socket
 *   request ("run --fds ... --layer-fd ..", SCM_RIGHTS) ──▶ clone3(CLONE_PARENT, ──▶ fds where the request says;
 *                                                            mnt uts ipc pid);        join its cgroups, unshare
 *                                                            close the request's fds  cgroup [net] (or setns net)
 *   ◀─ its pid (SCM_CREDENTIALS: the kernel translates it to the host's numbering) ─── send its pid
 *   network for C (veth, by its pid), meanwhile                                       overlay of the layers
 *                                                                                     (/proc/self/fd/N) + upper on
 *                                                                                     the machine's disk, /proc /dev
 *   go ──────────────────────────────────────────────────────────────────────────────▶ /sys, wait for go; mounts,
 *   ◀─ EOF (exec'd) | {"error"} ─ status pipe ──────────────────────────────────────── pivot, user, caps, seccomp,
 *   waitpid(C): C is the server's child by CLONE_PARENT, so its exit status            exec
 *   (128+signal) comes straight to the server: no process stays beside a running container.
 * A clones C directly because A's own pid namespace is the machine's: a new pid namespace can only be made by a
 * process whose active pid namespace is the one it nests in. A remove request is a plain child of A that deletes
 * the container's directory on the machine's disk (and reports on its status fd).
 */
static void send_credentials(int sock)
{
    struct ucred cred = { getpid(), getuid(), getgid() };
    send_control(sock, SCM_CREDENTIALS, &cred, sizeof cred);
}

/* --user UID:GID[:G1,G2...], resolved from the image's /etc/passwd and /etc/group by Lab.Runtime. */
static void set_user(const char *spec)
{
    char buf[1024], *save = NULL;
    gid_t groups[64];
    int ngroups = 0;
    snprintf(buf, sizeof buf, "%s", spec);
    char *uid = strtok_r(buf, ":", &save), *gid = strtok_r(NULL, ":", &save), *extra = strtok_r(NULL, ":", &save);
    if (!uid || !gid) { errno = EINVAL; die("bad --user '%s'", spec); }
    for (char *g = extra ? strtok_r(extra, ",", &save) : NULL; g && ngroups < 64; g = strtok_r(NULL, ",", &save))
        groups[ngroups++] = (gid_t)parse_int(g, "group");
    if (setgroups(ngroups, groups) < 0) die("setgroups");
    if (setgid((gid_t)parse_int(gid, "gid")) < 0) die("setgid %s", gid);
    if (setuid((uid_t)parse_int(uid, "uid")) < 0) die("setuid %s", uid);
}

/* Docker resolves the command with the container's PATH; execvpe searches the caller's, so take it over. */
static void use_container_path(struct config *c)
{
    for (int i = 0; i < c->nenv; i++)
        if (!strncmp(c->env[i], "PATH=", 5)) setenv("PATH", c->env[i] + 5, 1);
}

/* run --mount SRC:DST[:OPTS] and --tmpfs DST[:OPTS]: the container's volumes, binds and tmpfs, in the order given
 * (Lab.Runtime sorts them parents first, as dockerd does). Applied in the container's mount namespace once its
 * overlay root is assembled and before pivot_root. ':' and '\' inside a path are escaped with '\'.
 *   SRC  a path in the lab machine's root (this process's root after setns): opened with openat2 RESOLVE_IN_ROOT |
 *        RESOLVE_NO_MAGICLINKS, so neither ".." nor a symlink nor /proc/<pid>/root leaves the machine;
 *        with "nosymlinks" (volumes, whose path Lab.Runtime made) no symlink at all is followed.
 *   DST  a path in the container's root, resolved in it the same way (a symlink in the image or in a volume is
 *        followed as if the rootfs were /) and created when missing, a file when a file is mounted on it.
 *   OPTS ro, nosuid, nodev, noexec; mksrc (create a missing source directory, as `-v /dir:/x` does); copyup (an
 *        empty volume first gets what the image has at DST, as dockerd copies it); for tmpfs also key=value data
 *        (size=, mode=, uid=, gid=, nr_inodes=) and the negations rw, suid, dev, exec.
 * Each source is cloned into a detached mount (recursively, propagation private, flags set while detached) and moved
 * onto the target's descriptor, so no path is looked up twice. */
#define MOUNT_ESCAPE '\\'

/* The next ':'-separated field of *p, unescaped in place; NULL at the end. */
static char *next_field(char **p)
{
    char *start = *p, *out = start;
    if (!start) return NULL;
    char *in = start;
    for (; *in && *in != ':'; in++) {
        if (*in == MOUNT_ESCAPE && in[1]) in++;
        *out++ = *in;
    }
    *p = *in ? in + 1 : NULL;
    *out = 0;
    return start;
}

static int open_in_root(int root, const char *path, int flags, unsigned long long resolve)
{
    struct open_how how = { .flags = (unsigned long long)(flags | O_CLOEXEC),
        .resolve = resolve | RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
    int fd;
    while ((fd = (int)syscall(SYS_openat2, root, path, &how, sizeof how)) < 0 && (errno == EINTR || errno == EAGAIN)) {}
    return fd;
}

/* Opens PATH inside ROOT (O_PATH), creating what is missing: directories, and the last component a file when
   AS_FILE. Each step resolves the whole prefix in the root again, so a symlink met on the way stays inside it. */
static int open_or_create_in_root(int root, const char *path, int as_file)
{
    char prefix[4096];
    size_t len = 0;
    int at = fcntl(root, F_DUPFD_CLOEXEC, 0);
    if (at < 0) die("dup root fd");
    for (const char *p = path; *p;) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchrnul(p, '/');
        const char *rest = end;
        while (*rest == '/') rest++;
        int n = snprintf(prefix + len, sizeof prefix - len, "/%.*s", (int)(end - p), p);
        if (n < 0 || (size_t)n >= sizeof prefix - len) { errno = ENAMETOOLONG; die("path '%s'", path); }
        len += (size_t)n;
        int fd = open_in_root(root, prefix, O_PATH, 0);
        if (fd < 0 && errno == ENOENT) {
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(end - p), p);
            if (!*rest && as_file) {
                int f = openat(at, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
                if (f < 0 && errno != EEXIST) die("create '%s'", prefix);
                if (f >= 0) close(f);
            } else if (mkdirat(at, name, 0755) < 0 && errno != EEXIST) {
                die("mkdir '%s'", prefix);
            }
            fd = open_in_root(root, prefix, O_PATH, 0);
        }
        if (fd < 0) die("open '%s'", prefix);
        close(at);
        at = fd;
        p = end;
    }
    return at;
}

static int dir_is_empty(int dir)
{
    int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) die("open volume directory");
    DIR *d = fdopendir(fd);
    if (!d) die("fdopendir");
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = 0;
    closedir(d);
    return empty;
}

static void copy_attributes(int dir, const char *name, const struct stat *st)
{
    int flags = S_ISLNK(st->st_mode) ? AT_SYMLINK_NOFOLLOW : 0;
    if (fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW | (*name ? 0 : AT_EMPTY_PATH)) < 0)
        die("chown '%s'", name);
    if (!S_ISLNK(st->st_mode) && fchmodat(dir, *name ? name : ".", st->st_mode & 07777, 0) < 0) die("chmod '%s'", name);
    struct timespec times[2] = { st->st_atim, st->st_mtim };
    if (utimensat(dir, *name ? name : ".", times, flags) < 0) die("utimensat '%s'", name);
}

static void copy_file(int from, int to, const char *name, const struct stat *st)
{
    int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) die("open '%s' in the image", name);
    int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) die("create '%s' in the volume", name);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0) die("write '%s' in the volume", name);
            done += w;
        }
    if (n < 0) die("read '%s' in the image", name);
    close(in);
    close(out);
    copy_attributes(to, name, st);
}

/* The image's content at a volume's mount point, copied into the empty volume (files, directories, symlinks as
   they are, device nodes and FIFOs recreated), owners, modes and times kept. Nothing is followed. */
static void copy_tree(int from_path, int to_path)
{
    int from = openat(from_path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), to = openat(to_path, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (from < 0 || to < 0) die("open directories to copy");
    DIR *d = fdopendir(dup(from));
    if (!d) die("fdopendir");
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
        struct stat st;
        if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0) die("stat '%s' in the image", name);
        if (S_ISDIR(st.st_mode)) {
            if (mkdirat(to, name, 0700) < 0) die("mkdir '%s' in the volume", name);
            int a = openat(from, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), b = openat(to, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (a < 0 || b < 0) die("open '%s'", name);
            copy_tree(a, b);
            close(a);
            close(b);
            copy_attributes(to, name, &st);
        } else if (S_ISREG(st.st_mode)) {
            copy_file(from, to, name, &st);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlinkat(from, name, target, sizeof target - 1);
            if (n < 0) die("readlink '%s'", name);
            target[n] = 0;
            if (symlinkat(target, to, name) < 0) die("symlink '%s' in the volume", name);
            copy_attributes(to, name, &st);
        } else if (!S_ISSOCK(st.st_mode)) {
            if (mknodat(to, name, st.st_mode, st.st_rdev) < 0) die("mknod '%s' in the volume", name);
            copy_attributes(to, name, &st);
        }
    }
    closedir(d);
    close(from);
    close(to);
}

struct mount_opts {
    unsigned attrs;     /* MOUNT_ATTR_* */
    int nosymlinks, mksrc, copyup;
    char data[1024];    /* tmpfs key=value,... */
};

static void parse_mount_opts(const char *text, struct mount_opts *o, int tmpfs)
{
    char buf[1024], *save = NULL;
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "ro")) o->attrs |= MOUNT_ATTR_RDONLY;
        else if (!strcmp(t, "rw")) o->attrs &= ~MOUNT_ATTR_RDONLY;
        else if (!strcmp(t, "nosuid")) o->attrs |= MOUNT_ATTR_NOSUID;
        else if (!strcmp(t, "suid")) o->attrs &= ~MOUNT_ATTR_NOSUID;
        else if (!strcmp(t, "nodev")) o->attrs |= MOUNT_ATTR_NODEV;
        else if (!strcmp(t, "dev")) o->attrs &= ~MOUNT_ATTR_NODEV;
        else if (!strcmp(t, "noexec")) o->attrs |= MOUNT_ATTR_NOEXEC;
        else if (!strcmp(t, "exec")) o->attrs &= ~MOUNT_ATTR_NOEXEC;
        else if (!tmpfs && !strcmp(t, "nosymlinks")) o->nosymlinks = 1;
        else if (!tmpfs && !strcmp(t, "mksrc")) o->mksrc = 1;
        else if (!tmpfs && !strcmp(t, "copyup")) o->copyup = 1;
        else if (tmpfs && strchr(t, '=')) {
            size_t len = strlen(o->data);
            snprintf(o->data + len, sizeof o->data - len, "%s%s", len ? "," : "", t);
        } else { errno = EINVAL; die("bad mount option '%s'", t); }
    }
}

static void attach_on(int tree, int target, const char *dst)
{
    if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) die("move_mount on '%s'", dst);
    close(tree);
    close(target);
}

static void bind_one(int machine_root, int container_root, const char *spec)
{
    char buf[8192], *p = buf;
    snprintf(buf, sizeof buf, "%s", spec);
    const char *src = next_field(&p), *dst = next_field(&p), *opts = next_field(&p);
    if (!src || !*src || !dst || !*dst) { errno = EINVAL; die("bad --mount '%s'", spec); }
    struct mount_opts o = { 0 };
    parse_mount_opts(opts, &o, 0);
    unsigned long long resolve = o.nosymlinks ? RESOLVE_NO_SYMLINKS : 0;
    int source = open_in_root(machine_root, src, O_PATH, resolve);
    if (source < 0 && errno == ENOENT && o.mksrc) {
        close(open_or_create_in_root(machine_root, src, 0));
        source = open_in_root(machine_root, src, O_PATH, resolve);
    }
    if (source < 0) die("mount source '%s'", src);
    struct stat st;
    if (fstat(source, &st) < 0) die("stat '%s'", src);
    int existed = open_in_root(container_root, dst, O_PATH, 0);
    int target = existed >= 0 ? existed : open_or_create_in_root(container_root, dst, !S_ISDIR(st.st_mode));
    if (o.copyup && existed >= 0 && S_ISDIR(st.st_mode) && dir_is_empty(source)) {
        struct stat image;
        if (fstat(target, &image) < 0) die("stat '%s'", dst);
        if (S_ISDIR(image.st_mode)) {
            copy_tree(target, source);
            copy_attributes(source, "", &image);
        }
    }
    int tree = open_tree(source, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    if (tree < 0) die("open_tree '%s'", src);
    close(source);
    struct mount_attr attr = { .attr_set = o.attrs, .propagation = MS_PRIVATE };
    if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) die("mount_setattr '%s'", src);
    attach_on(tree, target, dst);
}

static void tmpfs_one(int container_root, const char *spec)
{
    char buf[8192], *p = buf;
    snprintf(buf, sizeof buf, "%s", spec);
    const char *dst = next_field(&p), *opts = next_field(&p);
    if (!dst || !*dst) { errno = EINVAL; die("bad --tmpfs '%s'", spec); }
    struct mount_opts o = { 0 };
    parse_mount_opts(opts, &o, 1);
    int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
    if (fs < 0) die("fsopen tmpfs");
    if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0) die("tmpfs source"); /* as /proc/mounts shows Docker's */
    char *save = NULL;
    for (char *kv = strtok_r(o.data, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        *eq = 0;
        if (fsconfig(fs, FSCONFIG_SET_STRING, kv, eq + 1, 0) < 0) die("tmpfs option %s=%s on '%s'", kv, eq + 1, dst);
    }
    if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) die("tmpfs on '%s'", dst);
    int tree = fsmount(fs, FSMOUNT_CLOEXEC, o.attrs);
    if (tree < 0) die("fsmount tmpfs on '%s'", dst);
    close(fs);
    attach_on(tree, open_or_create_in_root(container_root, dst, 0), dst);
}

static void apply_mounts(const struct config *c, const char *rootfs)
{
    if (!c->nmounts) return;
    int machine_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), container_root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (machine_root < 0 || container_root < 0) die("open roots for mounts");
    for (int i = 0; i < c->nmounts; i++) {
        if (c->mount_kinds[i] == 't') tmpfs_one(container_root, c->mounts[i]);
        else bind_one(machine_root, container_root, c->mounts[i]);
    }
    close(machine_root);
    close(container_root);
}

static void container_child(struct config *c)
{
    const int *layer_fds = c->layer_fds;
    int creds = c->creds_fd;
    char dir[4096], upper[4200], work[4200], root[4200], opts[16384], path[4400];
    send_credentials(creds);
    close(creds);
    setsid();
    mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    snprintf(dir, sizeof dir, "/var/lib/lab/containers/%s", c->id);
    snprintf(upper, sizeof upper, "%s/upper", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(root, sizeof root, "%s/rootfs", dir);
    mkdir_p(upper, 0755);
    mkdir_p(work, 0700);
    mkdir_p(root, 0755);
    /* The layers are host directories the machine cannot name: the overlay reaches them through the detached
       mounts cloned before setns. */
    int len = snprintf(opts, sizeof opts, "lowerdir=");
    for (int i = 0; i < c->nlayer_fds; i++)
        len += snprintf(opts + len, sizeof opts - len, "%s/proc/self/fd/%d", i ? ":" : "", layer_fds[i]);
    len += snprintf(opts + len, sizeof opts - len, ",upperdir=%s,workdir=%s", upper, work);
    if (len >= (int)sizeof opts) { errno = E2BIG; die("too many layers (%d)", c->nlayer_fds); }
    mount_or_die("overlay", root, "overlay", 0, opts);
    for (int i = 0; i < c->nlayer_fds; i++) close(layer_fds[i]);
    mkdir_in(root, "proc", 0555);
    mkdir_in(root, "sys", 0555);
    mkdir_in(root, "dev", 0755);
    snprintf(path, sizeof path, "%s/proc", root);
    mount_or_die("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    snprintf(path, sizeof path, "%s/sys", root);
    mount_or_die("sysfs", path, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    struct config view = *c;
    view.rootfs = root;
    mount_cgroupfs(&view);
    setup_dev(root);
    harden_proc(root);
    const char *host = c->hostname ? c->hostname : c->id;
    if (sethostname(host, strlen(host)) < 0) die("sethostname '%s'", host);
    if (!c->netns || (strcmp(c->netns, "machine") && c->netns[0] != '/')) loopback_up();
    /* The server makes the container's network (from outside, by its pid) while the root above is made, and
       writes the files of it that are mounted next (/etc/hosts, /etc/resolv.conf): those mounts and the command
       wait for its go. A byte, or EOF when the server gave up (it kills us then). */
    if (c->sync_fd >= 0) {
        char go;
        while (read(c->sync_fd, &go, 1) < 0 && errno == EINTR) {}
        close(c->sync_fd);
    }
    apply_mounts(c, root);
    pivot_into(root);
    int slave = c->console_fd >= 0 ? open_console(c->console_fd) : -1;
    if (slave >= 0) {
        if (ioctl(slave, TIOCSCTTY, 0) < 0) die("ioctl TIOCSCTTY");
        dup2(slave, 0); dup2(slave, 1); dup2(slave, 2);
        if (slave > 2) close(slave);
    }
    const char *cwd = c->cwd ? c->cwd : "/";
    mkdir_p(cwd, 0755); /* Docker creates a WorkingDir the image does not have */
    if (chdir(cwd) < 0) die("chdir '%s'", cwd);
    drop_capabilities(c);
    if (c->user) set_user(c->user);
    c->env[c->nenv] = NULL;
    use_container_path(c);
    apply_seccomp(c);
    execvpe(c->argv[0], c->argv, c->env);
    die("exec '%s'", c->argv[0]);
}

/* The container (C) right after the agent cloned it: its descriptors are where the request said. It joins its
   cgroups (through the files the server opened, v1 tasks or v2 cgroup.procs: the host's cgroupfs is not in the machine), then makes
   its cgroup namespace, rooted at that cgroup, and its network namespace, before it tells the server its pid: the
   server plugs the network into /proc/<pid>/ns/net. */
static void run_child(struct config *c)
{
    for (int i = 0; i < c->ncgroup_fds; i++) {
        if (write(c->cgroup_fds[i], "0", 1) < 0) die("join cgroup (fd %d)", c->cgroup_fds[i]);
        close(c->cgroup_fds[i]);
    }
    if (unshare(CLONE_NEWCGROUP) < 0) die("unshare cgroup");
    if (c->netns_fd >= 0) {
        if (setns(c->netns_fd, CLONE_NEWNET) < 0) die("setns net (fd %d)", c->netns_fd);
        close(c->netns_fd);
    } else if (!c->netns || strcmp(c->netns, "machine")) {
        if (unshare(CLONE_NEWNET) < 0) die("unshare net");
    }
    container_child(c);
}

static void remove_child(struct config *c);
static int request_status_fd(char **argv, int argc, const int *fds, int nfds);

/* A request's descriptors arrive at whatever numbers recvmsg chose; "--fds T1,T2,..." (the request's first option)
   says where each goes in the child. Moved high first, so no target overwrites a descriptor still to be moved. */
static void place_fds(const char *map, const int *fds, int nfds, int agent_fd)
{
    int high[256], targets[256], n = 0; /* targets are below 512 (InitHelper.RunRequest) */
    char copy[2048], *save = NULL;
    snprintf(copy, sizeof copy, "%s", map);
    for (char *t = strtok_r(copy, ",", &save); t && n < nfds; t = strtok_r(NULL, ",", &save)) targets[n++] = parse_int(t, "fd target");
    if (n != nfds) { errno = EINVAL; die("%d descriptors for %d targets", nfds, n); }
    for (int i = 0; i < nfds; i++)
        if ((high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 512)) < 0) die("fcntl F_DUPFD");
    for (int i = 0; i < nfds; i++) close(fds[i]);
    close(agent_fd);
    for (int i = 0; i < nfds; i++) {
        if (dup2(high[i], targets[i]) < 0) die("dup2 %d", targets[i]);
        close(high[i]);
    }
    /* stdio stays open across exec; everything else is closed by it (CVE-2024-21626 class). */
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) die("close_range");
}

/* One request in the child the agent made for it: the same options as a helper's command line. */
static void agent_child(char **argv, int argc, const int *fds, int nfds, int agent_fd, const struct config *agent)
{
    struct config c = { 0 };
    signal(SIGCHLD, SIG_DFL); /* the agent's SIG_IGN would survive exec */
    status_fd = request_status_fd(argv, argc, fds, nfds); /* until the request's own --status-fd is parsed */
    if (argc < 4 || strcmp(argv[2], "--fds")) { errno = EINVAL; die("agent request without --fds"); }
    place_fds(argv[3], fds, nfds, agent_fd);
    argv[3] = argv[1]; /* parse_args reads the mode from argv[1] */
    argv[2] = argv[0];
    parse_args(&c, argc - 2, argv + 2);
    c.seccomp = agent->seccomp; /* compiled once, read by the agent at its start */
    if (!strcmp(c.mode, "run")) {
        if (!c.id || !c.nlayer_fds || c.creds_fd < 0 || !c.argv || !c.argv[0]) { errno = EINVAL; die("run needs --id --layer-fd --creds-fd and -- COMMAND"); }
        run_child(&c);
    }
    if (!strcmp(c.mode, "remove")) {
        if (!c.id) { errno = EINVAL; die("remove needs --id"); }
        remove_child(&c);
        _exit(0);
    }
    errno = EINVAL;
    die("unknown agent request '%s'", c.mode);
}

/* The status fd a request names (its target 3), to report a failed clone before any child exists. */
static int request_status_fd(char **argv, int argc, const int *fds, int nfds)
{
    if (argc < 4 || strcmp(argv[2], "--fds")) return -1;
    char copy[2048], *save = NULL;
    snprintf(copy, sizeof copy, "%s", argv[3]);
    int i = 0;
    for (char *t = strtok_r(copy, ",", &save); t && i < nfds; t = strtok_r(NULL, ",", &save), i++)
        if (!strcmp(t, "3")) return fds[i];
    return -1;
}

/* The agent's loop: one SOCK_SEQPACKET message per request (NUL-separated arguments, descriptors as SCM_RIGHTS).
   It only clones: whatever can fail in a request fails in the child, which reports on the request's status fd. */
static void agent_loop(const struct config *agent)
{
    static char buf[256 * 1024];
    char cbuf[CMSG_SPACE(sizeof(int) * 253)];
    char *argv[MAX_LIST * 16];
    int fds[253];
    signal(SIGCHLD, SIG_IGN); /* remove children are ours: reaped by the kernel */
    for (;;) {
        struct iovec iov = { buf, sizeof buf - 1 };
        struct msghdr msg = { 0 };
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = cbuf;
        msg.msg_controllen = sizeof cbuf;
        ssize_t n = recvmsg(agent->agent_fd, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) _exit(0); /* the server closed its end (or died): so do we */
        int nfds = 0;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
                int count = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count && nfds < 253; i++) memcpy(&fds[nfds++], CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
            }
        buf[n] = 0;
        int argc = 0;
        argv[argc++] = "lab-init";
        for (char *p = buf; p < buf + n && argc < (int)(sizeof argv / sizeof *argv) - 1; p += strlen(p) + 1) argv[argc++] = p;
        argv[argc] = NULL;
        int truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
        pid_t child = -1;
        if (!truncated) {
            /* A run's container is cloned straight into its new namespaces, CLONE_PARENT: the server's child, as
               this agent is, so the server waits for it (no process beside a container). A remove is a plain
               child of ours. Fork-like clones (no new stack): the child only makes syscalls until exec. */
            struct clone_args args = { 0 };
            if (argc > 1 && !strcmp(argv[1], "run")) args.flags = CLONE_PARENT | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID;
            else args.exit_signal = SIGCHLD;
            child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
            if (child == 0) agent_child(argv, argc, fds, nfds, agent->agent_fd, agent);
        }
        if (child < 0) {
            int err = truncated ? E2BIG : errno, sfd = request_status_fd(argv, argc, fds, nfds);
            if (sfd >= 0) dprintf(sfd, "{\"error\":\"agent: %s: %s\",\"errno\":%d}\n", truncated ? "request too large" : "clone3", strerror(err), err);
        }
        for (int i = 0; i < nfds; i++) close(fds[i]);
    }
}

/* agent: a machine's long-lived container starter (see the diagram above run_child). P, spawned by the server,
   joins the machine's cgroups and all six of its namespaces, then clones A (CLONE_PARENT: the server's child) and
   exits; A lives in the machine, as root of the host but undumpable (no ptrace, no /proc/A/fd from inside), holds no
   descriptor but its request socket, and exits when the server closes it. */
static int cmd_agent(struct config *c)
{
    static const char *ns[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt" };
    int fds[6];
    char path[64];
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) die("close_range");
    join_cgroups(c);
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "/proc/%d/ns/%s", c->target_pid, ns[i]);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) die("open '%s'", path);
    }
    for (int i = 0; i < 6; i++) {
        if (setns(fds[i], 0) < 0) die("setns %s", ns[i]);
        close(fds[i]);
    }
    struct clone_args args = { 0 };
    args.flags = CLONE_PARENT;
    pid_t agent = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (agent < 0) die("clone3 agent");
    if (agent == 0) {
        /* It never execs, so close-on-exec protects nothing here: only the request socket stays open. */
        status_fd = -1;
        if (syscall(SYS_close_range, 3, c->agent_fd - 1, 0) < 0 || syscall(SYS_close_range, c->agent_fd + 1, ~0U, 0) < 0) _exit(125);
        redirect_stdio_to_null();
        agent_loop(c);
    }
    dprintf(status_fd, "{\"pid\":%d}\n", agent);
    return 0;
}

/* remove: deletes a container's directory on a running machine's disk, from inside the machine's mount namespace
   (so every path resolves inside the machine) and without following any symlink the student left in it. */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT) die("remove '%s'", path);
    return 0;
}

static void remove_child(struct config *c)
{
    char dir[4096];
    for (const char *p = c->id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) { errno = EINVAL; die("bad container id '%s'", c->id); }
    snprintf(dir, sizeof dir, "/var/lib/lab/containers/%s", c->id);
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) die("nftw '%s'", dir);
}

/* view: a stopped container's merged files, for the server to read or write (docker cp, export). In a private
   mount namespace cloned from the machine's, a tmpfs on the container's rootfs dir holds the image layers (detached
   clones, attached there: the machine's /proc cannot name this process's descriptors) and the overlay of those
   layers and the upper dir; this process chroots into the overlay, reports {"pid":N} and waits until the server
   closes its stdin. The server works through /proc/N/root (with RESOLVE_IN_ROOT); when this process exits the
   namespace, and with it every mount, is gone. The server holds the container's lock meanwhile, so the container
   cannot start on the same upper dir. */
static int cmd_view(struct config *c)
{
    int layer_fds[MAX_LIST * 4];
    char path[64], dir[4096], upper[4200], work[4200], root[4200], merged[4300], layer[4300], opts[16384], byte;
    for (const char *p = c->id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) { errno = EINVAL; die("bad container id '%s'", c->id); }
    for (int i = 0; i < c->nlayers; i++) {
        layer_fds[i] = open_tree(AT_FDCWD, c->layers[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (layer_fds[i] < 0) die("open_tree layer '%s'", c->layers[i]);
    }
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", c->target_pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open '%s'", path);
    if (setns(fd, CLONE_NEWNS) < 0) die("setns mnt");
    close(fd);
    if (unshare(CLONE_NEWNS) < 0) die("unshare mnt");
    mount_or_die(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    snprintf(dir, sizeof dir, "/var/lib/lab/containers/%s", c->id);
    snprintf(upper, sizeof upper, "%s/upper", dir);
    snprintf(work, sizeof work, "%s/work", dir);
    snprintf(root, sizeof root, "%s/rootfs", dir);
    mkdir_p(upper, 0755);
    mkdir_p(work, 0700);
    mkdir_p(root, 0755);
    mount_or_die("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=700,size=64k");
    /* Relative layer names (resolved from the tmpfs): the options of a mount must fit in one page. */
    if (chdir(root) < 0) die("chdir '%s'", root);
    int len = snprintf(opts, sizeof opts, "lowerdir=");
    for (int i = 0; i < c->nlayers; i++) {
        snprintf(layer, sizeof layer, "%d", i);
        if (mkdir(layer, 0700) < 0) die("mkdir '%s'", layer);
        if (move_mount(layer_fds[i], "", AT_FDCWD, layer, MOVE_MOUNT_F_EMPTY_PATH) < 0) die("move_mount '%s'", layer);
        close(layer_fds[i]);
        len += snprintf(opts + len, sizeof opts - len, "%s%s", i ? ":" : "", layer);
    }
    len += snprintf(opts + len, sizeof opts - len, ",upperdir=%s,workdir=%s", upper, work);
    if (len >= (int)sizeof opts) { errno = E2BIG; die("too many layers (%d)", c->nlayers); }
    snprintf(merged, sizeof merged, "%s/merged", root);
    if (mkdir("merged", 0755) < 0) die("mkdir '%s'", merged);
    mount_or_die("overlay", "merged", "overlay", 0, opts);
    if (chdir("merged") < 0 || chroot(".") < 0 || chdir("/") < 0) die("chroot '%s'", merged);
    dprintf(status_fd, "{\"pid\":%d}\n", getpid());
    close(status_fd);
    while (read(0, &byte, 1) > 0 || errno == EINTR) errno = 0;
    return 0;
}


/* volume: a volume's directory on a running machine's disk, made or deleted from inside the machine's mount namespace
 * (so every path resolves inside the machine):
 *   lab-init volume --pid P -- create NAME   mkdir /var/lib/lab/volumes/NAME/_data, following no symlink
 *   lab-init volume --pid P -- remove NAME   rm -r /var/lib/lab/volumes/NAME, following no symlink, crossing no mount */
static int volume_name_ok(const char *name)
{
    if (!name[0] || !name[1] || !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= '0' && name[0] <= '9')))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            return 0;
    return 1;
}

static long long volume_bytes;
static int remove_volume_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    if (flag == FTW_F && S_ISREG(st->st_mode)) volume_bytes += st->st_size; /* dockerd's SpaceReclaimed: apparent sizes */
    return remove_entry(path, st, flag, ftw);
}

static int mkdir_beneath(int at, const char *name, mode_t mode)
{
    if (mkdirat(at, name, mode) < 0 && errno != EEXIST) die("mkdir '%s'", name);
    int fd = open_in_root(at, name, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
    if (fd < 0) die("open '%s'", name);
    return fd;
}

static int cmd_volume(struct config *c)
{
    const char *op = c->argv[0], *name = c->argv[1];
    char path[64], dir[4096];
    if (!op || !name || !volume_name_ok(name)) { errno = EINVAL; die("volume needs -- create|remove NAME"); }
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", c->target_pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open '%s'", path);
    if (setns(fd, CLONE_NEWNS) < 0) die("setns mnt");
    close(fd);
    if (!strcmp(op, "create")) {
        int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int lab = open_in_root(root, "/var/lib/lab", O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
        if (root < 0 || lab < 0) die("open /var/lib/lab");
        int volumes = mkdir_beneath(lab, "volumes", 0701), volume = mkdir_beneath(volumes, name, 0755);
        close(mkdir_beneath(volume, "_data", 0755));
        return 0;
    }
    if (strcmp(op, "remove")) { errno = EINVAL; die("volume: unknown operation '%s'", op); }
    snprintf(dir, sizeof dir, "/var/lib/lab/volumes/%s", name);
    if (nftw(dir, remove_volume_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) die("nftw '%s'", dir);
    dprintf(status_fd, "{\"reclaimed\":%lld}\n", volume_bytes);
    return 0;
}

static int parse_int(const char *s, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0 || v > 0x7fffffff) { errno = EINVAL; die("bad %s '%s'", what, s); }
    return (int)v;
}

/* Seccomp: Lab.Runtime evaluated Docker's default profile into flat rules, one per line:
 *   default errno <n>                      first line: the action for every syscall no rule allows
 *   arch <name>                            an extra architecture (x86, x32), as Docker's archMap adds them
 *   allow <syscall> [<i>:<op>:<a>:<b>]...   allowed when every condition on argument i holds
 *   errno <n> <syscall> [conditions]       answers errno n instead (clone3 → ENOSYS, so libc falls back)
 * `lab-init seccomp-bpf` compiles them once with libseccomp (syscalls this libseccomp does not know are skipped, as
 * Docker does) and writes the BPF program to stdout; Lab.Runtime keeps it for the life of the server and hands it
 * to every boot and exec on --seccomp-fd, where loading it is one seccomp(2) call, the last step before exec. */
static enum scmp_compare parse_op(const char *op)
{
    static const struct { const char *name; enum scmp_compare op; } ops[] = { { "ne", SCMP_CMP_NE },
        { "lt", SCMP_CMP_LT }, { "le", SCMP_CMP_LE }, { "eq", SCMP_CMP_EQ }, { "ge", SCMP_CMP_GE },
        { "gt", SCMP_CMP_GT }, { "masked_eq", SCMP_CMP_MASKED_EQ } };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(op, ops[i].name)) return ops[i].op;
    errno = EINVAL;
    die("seccomp: unknown comparison '%s'", op);
    return 0;
}

static void seccomp_rule(scmp_filter_ctx ctx, uint32_t action, char *rest, char **save)
{
    const char *name = rest ? rest : strtok_r(NULL, " ", save);
    if (!name) { errno = EINVAL; die("seccomp: rule without a syscall"); }
    struct scmp_arg_cmp args[6];
    unsigned nargs = 0;
    for (char *t = strtok_r(NULL, " ", save); t; t = strtok_r(NULL, " ", save)) {
        char op[16];
        unsigned index;
        unsigned long long a, b;
        if (nargs == 6 || sscanf(t, "%u:%15[a-z_]:%llu:%llu", &index, op, &a, &b) != 4 || index > 5) {
            errno = EINVAL;
            die("seccomp: bad condition '%s' for %s", t, name);
        }
        args[nargs++] = (struct scmp_arg_cmp){ index, parse_op(op), a, b };
    }
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return;
    int rc = seccomp_rule_add_array(ctx, action, nr, nargs, args);
    if (rc < 0) { errno = -rc; die("seccomp_rule_add %s", name); }
}

static int cmd_seccomp_bpf(void)
{
    static char text[65536];
    ssize_t n, len = 0;
    while ((n = read(0, text + len, sizeof text - 1 - len)) > 0) len += n;
    if (n < 0) die("read seccomp rules");
    if (len == sizeof text - 1) { errno = E2BIG; die("seccomp rules"); }
    text[len] = 0;
    scmp_filter_ctx ctx = NULL;
    char *save_line = NULL;
    for (char *line = strtok_r(text, "\n", &save_line); line; line = strtok_r(NULL, "\n", &save_line)) {
        char *save = NULL;
        const char *verb = strtok_r(line, " ", &save);
        const char *arg = verb ? strtok_r(NULL, " ", &save) : NULL;
        if (!verb || !arg) continue;
        if (!ctx && strcmp(verb, "default")) { errno = EINVAL; die("seccomp: rules must start with 'default'"); }
        if (!strcmp(verb, "default")) {
            const char *value = strtok_r(NULL, " ", &save);
            if (ctx || strcmp(arg, "errno") || !value) { errno = EINVAL; die("seccomp: bad default"); }
            ctx = seccomp_init(SCMP_ACT_ERRNO(parse_int(value, "errno")));
            if (!ctx) { errno = ENOMEM; die("seccomp_init"); }
        } else if (!strcmp(verb, "arch")) {
            uint32_t arch = seccomp_arch_resolve_name(arg);
            if (!arch) { errno = EINVAL; die("seccomp: unknown arch '%s'", arg); }
            int rc = seccomp_arch_add(ctx, arch);
            if (rc < 0 && rc != -EEXIST) { errno = -rc; die("seccomp_arch_add %s", arg); }
        } else if (!strcmp(verb, "allow")) {
            seccomp_rule(ctx, SCMP_ACT_ALLOW, (char *)arg, &save);
        } else if (!strcmp(verb, "errno")) {
            seccomp_rule(ctx, SCMP_ACT_ERRNO(parse_int(arg, "errno")), NULL, &save);
        } else {
            errno = EINVAL;
            die("seccomp: unknown rule '%s'", verb);
        }
    }
    if (!ctx) { errno = EINVAL; die("seccomp: no rules"); }
    int rc = seccomp_export_bpf(ctx, 1);
    if (rc < 0) { errno = -rc; die("seccomp_export_bpf"); }
    seccomp_release(ctx);
    return 0;
}

/* The compiled program, read before any fork (pread: the descriptor is shared by concurrent helpers). */
static void read_seccomp_program(struct config *c)
{
    static struct sock_filter program[BPF_MAXINSNS];
    ssize_t n, len = 0;
    char *buf = (char *)program;
    while ((n = pread(c->seccomp_fd, buf + len, sizeof program - len, len)) > 0) len += n;
    if (n < 0) die("read seccomp program");
    if (len == 0 || len % sizeof *program) { errno = EINVAL; die("seccomp program of %zd bytes", len); }
    close(c->seccomp_fd);
    c->seccomp.len = (unsigned short)(len / sizeof *program);
    c->seccomp.filter = program;
}

/* Last step before exec (after no_new_privs): from here on the kernel answers for the profile. */
static void apply_seccomp(const struct config *c)
{
    if (!c->seccomp.filter) return;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &c->seccomp) < 0) die("seccomp SECCOMP_SET_MODE_FILTER");
}

static void parse_caps(struct config *c, const char *list)
{
    char *copy = strdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t && c->ncaps < 64; t = strtok_r(NULL, ",", &save)) {
        int cap = parse_int(t, "capability");
        if (cap > 63) { errno = EINVAL; die("capability %d", cap); }
        c->caps[c->ncaps++] = cap;
    }
}

static void parse_args(struct config *c, int argc, char **argv)
{
    c->status_fd = 2;
    c->console_fd = -1;
    c->seccomp_fd = -1;
    c->sync_fd = -1;
    c->netns_fd = -1;
    c->creds_fd = -1;
    c->agent_fd = -1;
    c->mode = argc > 1 ? argv[1] : "";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--")) { c->argv = &argv[i + 1]; return; }
        if (!v) { errno = EINVAL; die("option '%s' needs a value", a); }
        i++;
        if (!strcmp(a, "--name")) c->name = v;
        else if (!strcmp(a, "--lower")) c->lower = v;
        else if (!strcmp(a, "--upper")) c->upper = v;
        else if (!strcmp(a, "--work")) c->work = v;
        else if (!strcmp(a, "--rootfs")) c->rootfs = v;
        else if (!strcmp(a, "--disk")) c->disk = v;
        else if (!strcmp(a, "--disk-dir")) c->disk_dir = v;
        else if (!strcmp(a, "--cgroup") && c->ncgroups < MAX_LIST) c->cgroups[c->ncgroups++] = v;
        else if (!strcmp(a, "--cgroupfs") && c->ncgroupfs < MAX_LIST) c->cgroupfs[c->ncgroupfs++] = v;
        else if (!strcmp(a, "--bind") && c->nbinds < MAX_LIST) c->binds[c->nbinds++] = v;
        else if ((!strcmp(a, "--mount") || !strcmp(a, "--tmpfs")) && c->nmounts < MAX_LIST * 2) {
            c->mount_kinds[c->nmounts] = a[2] == 't' ? 't' : 'b';
            c->mounts[c->nmounts++] = v;
        }
        else if (!strcmp(a, "--layer") && c->nlayers < MAX_LIST * 4) c->layers[c->nlayers++] = v;
        else if (!strcmp(a, "--id")) c->id = v;
        else if (!strcmp(a, "--hostname")) c->hostname = v;
        else if (!strcmp(a, "--user")) c->user = v;
        else if (!strcmp(a, "--netns")) c->netns = v;
        else if (!strcmp(a, "--sync-fd")) c->sync_fd = parse_int(v, "sync fd");
        else if (!strcmp(a, "--layer-fd") && c->nlayer_fds < MAX_LIST * 4) c->layer_fds[c->nlayer_fds++] = parse_int(v, "layer fd");
        else if (!strcmp(a, "--cgroup-fd") && c->ncgroup_fds < MAX_LIST) c->cgroup_fds[c->ncgroup_fds++] = parse_int(v, "cgroup fd");
        else if (!strcmp(a, "--netns-fd")) c->netns_fd = parse_int(v, "netns fd");
        else if (!strcmp(a, "--creds-fd")) c->creds_fd = parse_int(v, "creds fd");
        else if (!strcmp(a, "--agent-fd")) c->agent_fd = parse_int(v, "agent fd");
        else if (!strcmp(a, "--caps")) parse_caps(c, v);
        else if (!strcmp(a, "--seccomp-fd")) c->seccomp_fd = parse_int(v, "seccomp fd");
        else if (!strcmp(a, "--status-fd")) status_fd = c->status_fd = parse_int(v, "status fd");
        else if (!strcmp(a, "--console-fd")) c->console_fd = parse_int(v, "console fd");
        else if (!strcmp(a, "--pid")) c->target_pid = parse_int(v, "pid");
        else if (!strcmp(a, "--cwd")) c->cwd = v;
        else if (!strcmp(a, "--env") && c->nenv < MAX_LIST * 4 - 1) c->env[c->nenv++] = (char *)v;
        else { errno = EINVAL; die("unknown option '%s'", a); }
    }
}

/* The arguments name the host: this binary's path, LAB_DATA and image store paths, cgroup directories, the machine's
 * name. Every lab-init process a student can see (the machine's init, its container agent, an exec's child or a
 * container's first process before execve) is forked from this one after it entered the machine's pid namespace,
 * with a copy of this memory, which the kernel shows in /proc/<pid>/cmdline. So the options are parsed from a copy
 * and the original is blanked to "lab-init MODE" before anything else: no process inside ever had more. (The
 * environment is PATH only, and the processes are non-dumpable, so /proc/<pid>/environ is closed to them anyway.) */
static char **hide_arguments(int argc, char **argv)
{
    char **copy = calloc((size_t)argc + 1, sizeof *copy);
    if (!copy) die("calloc");
    for (int i = 0; i < argc; i++)
        if (!(copy[i] = strdup(argv[i]))) die("strdup");
    char *start = argv[0], *end = argv[argc - 1] + strlen(argv[argc - 1]) + 1; /* the kernel lays them out in a row */
    memset(start, 0, (size_t)(end - start));
    const char *mode = argc > 1 ? copy[1] : "";
    int n = snprintf(start, (size_t)(end - start), "lab-init%c%s", 0, mode);
    char *shown = start + (n < end - start ? n + 1 : end - start);
    /* Shorten the area too, so ps shows no trail of blanks; it needs CAP_SYS_RESOURCE, which the server has. */
    prctl(PR_SET_MM, PR_SET_MM_ARG_END, (unsigned long)shown, 0, 0);
    return copy;
}

int main(int argc, char **argv)
{
    struct config c = { 0 };
    if (argc > 0) argv = hide_arguments(argc, argv);
    parse_args(&c, argc, argv);
    /* Non-dumpable until exec: a process inside cannot open /proc/<pid>/exe to reach this binary
       (CVE-2019-5736 class); exec of the target resets it. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) die("prctl PR_SET_DUMPABLE");
    if (!strcmp(c.mode, "seccomp-bpf")) return cmd_seccomp_bpf();
    if (c.seccomp_fd >= 0) read_seccomp_program(&c);
    if (!strcmp(c.mode, "boot")) {
        if (!c.name || !c.lower || !c.upper || !c.work || !c.rootfs) { errno = EINVAL; die("boot needs --name --lower --upper --work --rootfs"); }
        if (!c.disk != !c.disk_dir) { errno = EINVAL; die("--disk and --disk-dir go together"); }
        return cmd_boot(&c);
    }
    if (!strcmp(c.mode, "exec")) {
        if (!c.target_pid || !c.argv || !c.argv[0]) { errno = EINVAL; die("exec needs --pid and -- COMMAND"); }
        return cmd_exec(&c);
    }
    if (!strcmp(c.mode, "view")) return c.target_pid && c.id && c.nlayers ? cmd_view(&c) : (errno = EINVAL, die("view needs --pid --id --layer"), 125);
    if (!strcmp(c.mode, "volume")) {
        if (!c.target_pid || !c.argv) { errno = EINVAL; die("volume needs --pid and -- create|remove NAME"); }
        return cmd_volume(&c);
    }
    if (!strcmp(c.mode, "agent")) {
        if (!c.target_pid || c.agent_fd < 3) { errno = EINVAL; die("agent needs --pid and --agent-fd (3 or more)"); }
        return cmd_agent(&c);
    }
    errno = EINVAL;
    die("usage: lab-init boot|exec|agent|view|volume|seccomp-bpf ...");
    return 125;
}
