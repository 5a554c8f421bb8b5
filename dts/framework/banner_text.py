"""Reading banners back from the output files (shared by the banners and hostile
suites)."""


def csv_uncell(cell):
    """A -oC cell's text: the apostrophe that keeps a formula from running, off."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def unescape(text):
    """The bytes behind prt_banner_escape()'s text."""
    out, i = bytearray(), 0
    simple = {"\\": 0x5c, "r": 0x0d, "n": 0x0a, "t": 0x09}
    while i < len(text):
        if text[i] != "\\":
            out.append(ord(text[i]))
            i += 1
        elif text[i + 1] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(simple[text[i + 1]])
            i += 2
    return bytes(out)
