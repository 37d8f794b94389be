"""Decoding bytes: which encoding a file is in."""


def test_short_arabic_in_a_single_byte_encoding_is_read_as_arabic():
    from khabar.reading.encoding import decode_bytes

    text = "قال الوزير إن الاجتماع ناجح."
    assert decode_bytes(text.encode("iso8859_6")) == (text, "iso8859-6")  # was read as Thai (cp874)
    assert decode_bytes(text.encode("cp1256")) == (text, "cp1256")
    french = "Ceci est un texte français, très ordinaire, écrit en Latin-1."
    assert decode_bytes(french.encode("latin-1"))[0] == french  # no Arabic forced on other text
