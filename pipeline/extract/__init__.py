"""One module per kind of extraction; each is a pure function Doc -> candidates."""
