#!/usr/bin/env python3
"""Downloads a package's source distribution from PyPI's simple index without building it (pip refuses
PyRadiomics 3.1.0's sdist because its metadata names another version). Usage: fetch_sdist.py NAME VERSION OUT"""
import re, sys, urllib.request

name, version, out = sys.argv[1:4]
index = urllib.request.urlopen(f'https://pypi.org/simple/{name}/', timeout=60).read().decode()
links = re.findall(r'href="([^"]+/' + re.escape(f'{name}-{version}.tar.gz') + r')(?:#[^"]*)?"', index)
if not links:
    sys.exit(f'no sdist {name}-{version}.tar.gz on PyPI')
with urllib.request.urlopen(links[0], timeout=300) as r, open(out, 'wb') as f:
    f.write(r.read())
