"""A throwaway Chromium profile folder for the browser checks, gone when the check ends.

Chromium's helper processes (zygote, renderer, GPU) outlive a kill of the browser process and
go on writing to the profile, so removing the folder right after the kill could leave it
behind. The checks start Chromium in a process group of its own (start_new_session=True),
and end_group ends and waits for the whole group before the folder is removed."""
import contextlib, os, shutil, signal, tempfile, time


def end_group(pgid, timeout=10.0):
    """Kills every process of the group pgid and waits until none is left (or timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except PermissionError:  # the group id was reused by a process not ours
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
