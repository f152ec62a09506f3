"""Checks an executed notebook: no cell raised; every code cell that draws (calls matplotlib:
plt.subplots, ax.plot, ax.barh, fig.colorbar, df.plot, plt.show, ...) stored its chart as a PNG
(matplotlib inline), so no chart was lost to a non-interactive backend, closed unshown or skipped;
every PNG decodes and is not blank (one colour throughout); and no chart is wider than MAX_WIDTH
pixels (Jupyter shrinks a wider one to the page, and its labels become unreadable: a row of nine
scenario panels was 2870 pixels wide).
usage: check_notebook.py EXECUTED.ipynb
check_notebook_layouts.py imports check() from here."""
import base64, io, json, re, struct, sys

MAX_WIDTH = 1600  # pixels at matplotlib's inline resolution: a figure of about 16 inches

# A call that draws: pyplot's functions (but those that only close, configure or read), the
# drawing methods of an Axes or a Figure (ax.plot, a1.errorbar, fig.colorbar, ...; also pandas'
# df.plot), and a chart helper of the reader (sr.plot_..., sr.chart_..., sr.fan...).
_PYPLOT_QUIET = {"close", "ioff", "ion", "rc", "rcdefaults", "rc_context", "style", "get_cmap",
                 "colormaps", "switch_backend", "isinteractive", "get_fignums", "gcf", "gca"}
_DRAWING_METHODS = (
    "plot|bar|barh|scatter|hist|hist2d|errorbar|fill_between|fill_betweenx|fill|imshow|matshow|"
    "pie|step|stairs|stem|boxplot|violinplot|hexbin|contour|contourf|pcolor|pcolormesh|"
    "stackplot|axhline|axvline|axhspan|axvspan|hlines|vlines|annotate|text|table|quiver|"
    "streamplot|eventplot|broken_barh|loglog|semilogx|semilogy|colorbar|suptitle|subplots|"
    "add_subplot|savefig|show|legend|set_title|set_xlabel|set_ylabel")
_DRAWS = re.compile(
    r"\bplt\.(\w+)\s*\("                                    # pyplot (filtered below)
    r"|\.(?:" + _DRAWING_METHODS + r")\s*\("                 # a method that draws
    r"|\bsr\.\w*(?:plot|chart|fan|tornado|draw)\w*\s*\(")    # the reader's chart helpers


def _code(source):
    """The cell's Python without comments, string contents and IPython magics (% and ! lines),
    so a call named in a comment or a string is not taken for one."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    text = "\n".join(lines)
    text = re.sub(r'("""|\'\'\')(?:.|\n)*?\1', '""', text)   # triple-quoted strings
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)          # strings
    text = re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)
    return re.sub(r"#[^\n]*", "", text)                         # comments


def draws(source):
    """Whether a code cell draws a chart."""
    for m in _DRAWS.finditer(_code(source)):
        if m.group(1) is None or m.group(1) not in _PYPLOT_QUIET:
            return True
    return False


def _png_size(png):
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", png[16:24])


def _blank(png):
    """Whether the decoded image has a single colour throughout (an empty chart), or None when
    it does not decode."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    try:
        pixels = mpimg.imread(io.BytesIO(png), format="png")
    except Exception:
        return None
    flat = pixels.reshape(-1, pixels.shape[-1]) if pixels.ndim == 3 else pixels.reshape(-1, 1)
    return bool((flat == flat[0]).all())


def check(nb):
    """(problems, number of charts) of an executed notebook (nbformat JSON as a dict)."""
    problems, images, unexecuted = [], 0, 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        if cell.get("execution_count") is None and source.strip():
            unexecuted += 1
        pngs = 0
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            if out["output_type"] == "stream" and out.get("name") == "stderr" and \
                    "Traceback" in "".join(out.get("text", "")):
                problems.append(f"cell {i}: a traceback on stderr")
            png = out.get("data", {}).get("image/png")
            if not png:
                continue
            pngs += 1
            images += 1
            data = base64.b64decode("".join(png) if isinstance(png, list) else png)
            size = _png_size(data)
            blank = _blank(data) if size else None
            if size is None or blank is None:
                problems.append(f"cell {i}: an image/png output that is not a PNG image")
                continue
            width, height = size
            if width > MAX_WIDTH:
                problems.append(f"cell {i}: a chart {width} x {height} pixels, wider than "
                                f"{MAX_WIDTH}: too small to read once fitted to the page")
            if blank:
                problems.append(f"cell {i}: a blank chart ({width} x {height} pixels of one "
                                "colour)")
        if pngs == 0 and cell.get("execution_count") is not None and draws(source):
            call = next((line for line in source.splitlines() if draws(line)), "")
            problems.append(f"cell {i} draws a chart but stored no image/png output (closed "
                            f"unshown, skipped, or a non-interactive backend): {call.strip()}")
    if unexecuted:
        problems.append(f"{unexecuted} code cell(s) were not executed")
    if images == 0:
        problems.append("no image/png output: the charts were not embedded")
    return problems, images


if __name__ == "__main__":
    path = sys.argv[1]
    try:
        nb = json.load(open(path))
    except OSError as e:
        sys.exit(f"{path}: cannot read the executed notebook ({e.strerror}); did its execution "
                 "run?")
    problems, images = check(nb)
    if problems:
        sys.exit(f"{path}:\n  " + "\n  ".join(problems))
    print(f"{path}: {images} chart(s), no errors")
