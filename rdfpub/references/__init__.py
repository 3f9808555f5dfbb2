"""References without identifiers: matching their text to stored articles, the index, and keeping links true."""
