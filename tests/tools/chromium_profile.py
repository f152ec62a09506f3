"""A throwaway Chromium profile folder for the browser checks, gone when the check ends.

Chromium's helper processes (zygote, renderer, GPU) outlive a kill of the browser process and
go on writing to the profile, so removing the folder right after the kill could leave it
behind. The checks start Chromium in a process group of its own (start_new_session=True),
and end_group ends and waits for the whole group before the folder is removed."""
import contextlib, os, shutil, signal, tempfile, time


def live_in_group(pgid):
    """Whether a process of the group pgid is still running (zombies waiting for their parent,
    or for an init that does not reap, write nothing and do not count)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def end_group(pgid, timeout=10.0):
    """Kills every process of the group pgid and waits until none is left running (or timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # none left, or the id is not ours now
            return
        if not live_in_group(pgid):
            return
        time.sleep(0.05)


@contextlib.contextmanager
def profile_folder():
    """Yields a new folder salesim-chromium-* in the temporary folder; removes it at the end,
    retrying while a late writer (a helper that outlived end_group's timeout) is still at it."""
    folder = tempfile.mkdtemp(prefix="salesim-chromium-")
    try:
        yield folder
    finally:
        deadline = time.monotonic() + 5.0
        while True:
            shutil.rmtree(folder, ignore_errors=True)
            if not os.path.exists(folder) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
