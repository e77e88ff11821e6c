"""The command host, in Python: what command-host-main.ts does, started in its place where python3 is found.

Why a second program: Node starts a child with fork(), which copies the page tables of the whole
Node process and then makes it take a copy-on-write fault on every page it writes until the child
has called exec; Python's os.posix_spawn starts it with a clone that shares the memory until
exec, as vfork, which copies nothing. Measured on the same machine, a host inside the lifeline's
bwrap running `true` for the server (spawn frame to exit and both pipes closed): 2.0 ms with the
Node host, 1.2 ms with this one (p50 of 200). A command of the model pays this on every run.

It speaks the frames of frames.ts over its stdin and stdout, the same as the Node host: server to
host spawn {id, argv, file?, cwd, env}, kill {id, signal}, release {id}; host to server ready, then
per command spawned {id, pid} or spawn-error {id, code, message}, data {id, stream} + bytes,
close {id, stream}, exit {id, code, signal}. It uses the standard library only and is started with
`-I -S` (no environment, no site, nothing from the working directory).
"""

import codecs
import errno
import json
import os
import selectors
import signal
import struct

# The largest frame accepted from the server (frames.ts MAX_FRAME_BYTES).
MAX_FRAME_BYTES = 64 * 1024 * 1024
# Output not yet taken by the server beyond which the commands' pipes are no longer read, until
# it is: a server that does not read must not make this process grow (the Node host pauses the
# pipes at its stream's high-water mark the same way).
BLOCKED_BYTES = 64 * 1024
READ_BYTES = 64 * 1024

selector = selectors.DefaultSelector()
output = bytearray()
# Running commands by the server's id, until the server releases them.
commands = {}
# The commands' pipes are not read while the server has not taken BLOCKED_BYTES of output.
paused = False
# stdout is watched for room to write the rest of `output`.
waiting_for_output = False


class Command:
    def __init__(self, id, pid):
        self.id = id
        self.pid = pid
        self.pipes = {}  # fd -> stream name, while open
        self.pidfd = None
        self.exited = False

    def exit_status(self):
        """The exit status once it has exited (-N for a signal); None before."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        return None if pid == 0 else os.waitstatus_to_exitcode(status)


def send(header, payload=b""):
    data = json.dumps(header, separators=(",", ":")).encode()
    output.extend(struct.pack(">II", 4 + len(data) + len(payload), len(data)))
    output.extend(data)
    output.extend(payload)


def flush():
    """Writes what the server can take now; the rest waits for stdout to be writable."""
    while output:
        try:
            written = os.write(1, output)
        except BlockingIOError:
            break
        del output[:written]
    global paused
    if output:
        set_interest(1, selectors.EVENT_WRITE, ("output",))
    elif waiting_for_output:
        set_interest(1, 0, None)
    if paused != (len(output) >= BLOCKED_BYTES):
        paused = not paused
        for command in commands.values():
            for fd in command.pipes:
                set_interest(fd, 0 if paused else selectors.EVENT_READ, ("pipe", command))


def set_interest(fd, events, data):
    global waiting_for_output
    if fd == 1:
        waiting_for_output = events != 0
    try:
        key = selector.get_key(fd)
    except KeyError:
        key = None
    if events == 0:
        if key is not None:
            selector.unregister(fd)
    elif key is None:
        selector.register(fd, events, data)
    elif key.events != events:
        selector.modify(fd, events, data)


# A lone UTF-16 surrogate (JSON can carry one) becomes U+FFFD, as Node encodes it for the Node host.
# (UTF-8's encoder takes bytes from an error handler for surrogates, not text.)
codecs.register_error("agentwire-fffd", lambda e: ("\ufffd".encode() * (e.end - e.start), e.end))


def encode(text):
    return text.encode("utf-8", "agentwire-fffd")


# What the command gets besides its stdout and stderr: stdin /dev/null, and the default action for
# the signals Python ignores (an ignored signal stays ignored across exec); no signal blocked.
SPAWN_SIGDEF = (signal.SIGPIPE, signal.SIGXFSZ)
# The search path execvp uses when the environment has no PATH (find-program.ts's DEFAULT_PATH).
DEFAULT_PATH = b"/bin:/usr/bin"
# Errors of one PATH entry after which execvp goes on to the next (EACCES is remembered).
NEXT_ENTRY_ERRORS = (errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.ESTALE, errno.ENODEV, errno.ETIMEDOUT)


def spawn(argv, file, cwd, env, stdout, stderr):
    """Starts a command as run-command.ts does: no shell, stdin /dev/null, its own session and
    process group, by the file the server found it as when it says (the command still sees
    argv[0]), else as execvp finds it. Returns its pid. Raises OSError as the exec would fail (and
    ValueError or TypeError for an argument the exec cannot take, a NUL byte say).

    posix_spawn (glibc: a clone that shares the memory until exec, as vfork) starts in the
    spawner's working folder, so the host goes there for the call and back to / after: it runs
    nothing else meanwhile. 0.05 ms less per command than subprocess (0.076 against 0.126 ms per
    call, measured on the same machine), and nothing of subprocess to load at start."""
    os.chdir(cwd)
    try:
        if file is not None or b"/" in argv[0]:
            return spawn_file(file if file is not None else argv[0], argv, env, stdout, stderr)
        # A bare name the server did not resolve (a relative PATH entry): execvp's walk along the
        # command's PATH, relative entries from its folder (posix_spawnp would take this process's PATH).
        denied = None
        for entry in env.get(b"PATH", DEFAULT_PATH).split(b":"):
            try:
                return spawn_file(entry + b"/" + argv[0] if entry else argv[0], argv, env, stdout, stderr)
            except OSError as e:
                if e.errno not in NEXT_ENTRY_ERRORS:
                    raise
                if e.errno == errno.EACCES:
                    denied = e
        raise denied or FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
    finally:
        os.chdir("/")


def spawn_file(path, argv, env, stdout, stderr):
    actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, stdout, 1), (os.POSIX_SPAWN_DUP2, stderr, 2)]
    options = {"file_actions": actions, "setsid": True, "setsigdef": SPAWN_SIGDEF, "setsigmask": ()}
    try:
        return os.posix_spawn(path, argv, env, **options)
    except OSError as e:
        if e.errno != errno.ENOEXEC:
            raise
    # A file with no #! line: run by /bin/sh, as glibc's execvp (the Node host's) does.
    return os.posix_spawn(b"/bin/sh", [b"/bin/sh", path] + argv[1:], env, **options)


def start(id, argv, file, cwd, env):
    if not argv:
        send({"type": "spawn-error", "id": id, "code": None, "message": "empty command"})
        return
    opened = []
    try:
        out_read, out_write = os.pipe()
        opened += [out_read, out_write]
        err_read, err_write = os.pipe()
        opened += [err_read, err_write]
        argv = [encode(arg) for arg in argv]
        file = encode(file) if file is not None else None
        env = {encode(name): encode(value) for name, value in env.items()}
        pid = spawn(argv, file, encode(cwd), env, out_write, err_write)
    except (OSError, ValueError, TypeError) as e:
        # Out of file descriptors fails this command only, as a failed exec does.
        for fd in opened:
            os.close(fd)
        code = errno.errorcode.get(e.errno) if isinstance(e, OSError) and e.errno is not None else None
        message = (e.strerror if isinstance(e, OSError) else None) or str(e)
        send({"type": "spawn-error", "id": id, "code": code, "message": message})
        return
    os.close(out_write)
    os.close(err_write)
    command = Command(id, pid)
    try:
        pidfd = os.pidfd_open(pid)
    except OSError as e:  # out of file descriptors, say: the command is not left running unwatched
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(out_read)
        os.close(err_read)
        send({"type": "spawn-error", "id": id, "code": errno.errorcode.get(e.errno), "message": e.strerror or str(e)})
        return
    commands[id] = command
    send({"type": "spawned", "id": id, "pid": pid})
    for name, fd in (("stdout", out_read), ("stderr", err_read)):
        os.set_blocking(fd, False)
        command.pipes[fd] = name
        if not paused:
            selector.register(fd, selectors.EVENT_READ, ("pipe", command))
    command.pidfd = pidfd
    selector.register(command.pidfd, selectors.EVENT_READ, ("exit", command))


def read_pipe(command, fd):
    try:
        data = os.read(fd, READ_BYTES)
    except BlockingIOError:
        return
    except OSError:
        data = b""  # reading errors end the stream like EOF
    if data:
        send({"type": "data", "id": command.id, "stream": command.pipes[fd]}, data)
        return
    name = command.pipes.pop(fd)
    set_interest(fd, 0, None)
    close_quietly(fd)
    send({"type": "close", "id": command.id, "stream": name})


def close_quietly(fd):
    try:
        os.close(fd)
    except OSError:
        pass


def reap(command):
    # It has exited (its pidfd said so): this wait does not block.
    status = command.exit_status()
    if status is None:
        return  # not yet after all: its pidfd stays watched
    selector.unregister(command.pidfd)
    os.close(command.pidfd)
    command.pidfd = None
    command.exited = True
    if commands.get(command.id) is not command:
        return  # released before it exited (and killed then): reaped, not reported
    if status >= 0:
        send({"type": "exit", "id": command.id, "code": status, "signal": None})
        return
    name = signal_name(-status)
    # A signal Node has no name for (a realtime one) is reported as a shell would: 128 + its number.
    send({"type": "exit", "id": command.id, "code": None if name else 128 - status, "signal": name})


def signal_name(number):
    """The name Node knows the signal by (os.constants.signals), or None."""
    try:
        name = signal.Signals(number).name
    except ValueError:
        return None
    return None if name.startswith("SIGRT") else name


def release(command):
    del commands[command.id]
    kill_group(command, signal.SIGKILL)
    for fd in list(command.pipes):
        set_interest(fd, 0, None)
        close_quietly(fd)
    command.pipes.clear()
    # One that has not exited yet was killed above; its pidfd stays watched so that it is reaped
    # (without a report) once it is gone, and leaves no zombie in the namespace.
    if not commands:
        kill_leftovers()


def kill_group(command, signo):
    """Kills a command's whole process group; the command alone when it has no group of its own."""
    try:
        os.killpg(command.pid, signo)
    except OSError:
        # Once it has exited its pid may be another process's: only its group (which lives on
        # while a member does) is killed then.
        if not command.exited:
            signal_quietly(command.pid, signo)


def kill_tree(command, signo):
    """Kills a command, its process group and every descendant (listed first, as kill-tree.ts does)."""
    found = [] if command.exited else descendants_of(command.pid)
    kill_group(command, signo)
    for pid in found:
        signal_quietly(pid, signo)


def signal_quietly(pid, signo):
    try:
        os.kill(pid, signo)
    except OSError:
        pass  # gone meanwhile


def descendants_of(root):
    """Every living descendant of root, from the parent links in /proc/<pid>/stat (descendants.ts)."""
    children = {}
    for name in list_proc():
        parent = parent_of(name)
        if parent is not None:
            children.setdefault(parent, []).append(int(name))
    found, queue, seen = [], [root], {root}
    while queue:
        for child in children.get(queue.pop(0), []):
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.append(child)
    return found


def list_proc():
    try:
        return [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def parent_of(pid):
    try:
        with open("/proc/%s/stat" % pid, "rb") as f:
            stat = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split(" ")
    try:
        return int(fields[1])
    except (IndexError, ValueError):
        return None


def kill_leftovers():
    """Once no command runs, kills every process of the namespace but its init and this host (see command-host-main.ts)."""
    # Only inside the lifeline's namespace, whose init (pid 1) is bwrap and this host's parent.
    if os.getppid() != 1 or not namespace_init_is_bwrap():
        return
    for name in list_proc():
        pid = int(name)
        if pid not in (1, os.getpid()):
            signal_quietly(pid, signal.SIGKILL)
    # The init reaps them; a released command of ours is reaped through its pidfd.


def namespace_init_is_bwrap():
    try:
        with open("/proc/1/cmdline", "rb") as f:
            return os.path.basename(f.read().split(b"\0")[0]) == b"bwrap"
    except OSError:
        return False


def handle(header):
    id = header.get("id")
    kind = header.get("type")
    if kind == "spawn":
        start(id, header["argv"], header.get("file"), header["cwd"], header["env"])
    elif kind == "kill":
        command = commands.get(id)
        if command is not None:
            kill_tree(command, signal.Signals[header["signal"]])
    elif kind == "release":
        command = commands.get(id)
        if command is not None:
            release(command)
    else:
        raise ValueError("unknown frame type %r" % (kind,))


class Decoder:
    def __init__(self):
        self.buffer = bytearray()

    def push(self, chunk):
        self.buffer.extend(chunk)
        frames = []
        while len(self.buffer) >= 4:
            (length,) = struct.unpack_from(">I", self.buffer)
            if length < 4 or length > MAX_FRAME_BYTES:
                raise ValueError("corrupt frame: length %d" % length)
            if len(self.buffer) < 4 + length:
                break
            (header_length,) = struct.unpack_from(">I", self.buffer, 4)
            if header_length > length - 4:
                raise ValueError("corrupt frame: header length %d of %d" % (header_length, length))
            header = json.loads(bytes(self.buffer[8 : 8 + header_length]).decode("utf-8"))
            if not isinstance(header, dict):
                raise ValueError("corrupt frame: header is not an object")
            del self.buffer[: 4 + length]
            frames.append(header)
        return frames


def quit(why=None):
    """The server is gone or talks nonsense: nothing started here may outlive that."""
    if why is not None:
        try:
            os.write(2, ("agentwire command host: %s\n" % why).encode("utf-8", "replace"))
        except OSError:
            pass
    for command in list(commands.values()):
        kill_tree(command, signal.SIGKILL)
    os._exit(0 if why is None else 1)


def main():
    try:
        os.close(os.pidfd_open(os.getpid()))
        # A Python built without POSIX_SPAWN_SETSID refuses the argument before it starts anything:
        # a missing file is the answer that says it would have worked.
        try:
            os.posix_spawn(b"", [b"probe"], {}, setsid=True)
        except FileNotFoundError:
            pass
    except (AttributeError, OSError, NotImplementedError) as e:
        # Python older than 3.9, a kernel older than 5.3 (or a seccomp profile) without pidfds, or
        # no session from posix_spawn: the host exits before it is ready, and the server starts
        # the Node host instead.
        os.write(2, ("agentwire command host: cannot start commands here (%s)\n" % e).encode())
        os._exit(3)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Commands are reaped through waitpid; an ignored SIGCHLD inherited from a parent would have
    # the kernel reap them first and lose their exit status.
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    # posix_spawn closes nothing: a descriptor this host inherited (from the server's own parents,
    # through bwrap) would reach every command. Its own are not inheritable anyway.
    for name in os.listdir("/proc/self/fd"):
        if int(name) > 2:
            try:
                os.set_inheritable(int(name), False)
            except OSError:
                pass  # the listing's own descriptor, closed by now
    os.set_blocking(0, False)
    os.set_blocking(1, False)
    decoder = Decoder()
    selector.register(0, selectors.EVENT_READ, ("input",))
    send({"type": "ready"})
    flush()
    while True:
        for key, _ in selector.select():
            what = key.data
            if what[0] == "input":
                try:
                    chunk = os.read(0, READ_BYTES)
                except BlockingIOError:
                    continue
                except OSError:
                    quit()
                if not chunk:
                    quit()
                try:
                    for header in decoder.push(chunk):
                        handle(header)
                except Exception as e:  # a corrupt stream or frame: give up on the server
                    quit(str(e))
            elif what[0] == "pipe":
                if key.fd in what[1].pipes:
                    read_pipe(what[1], key.fd)
            elif what[0] == "exit":
                if what[1].pidfd == key.fd:
                    reap(what[1])
        try:
            flush()
        except OSError:
            quit()


if __name__ == "__main__":
    main()
