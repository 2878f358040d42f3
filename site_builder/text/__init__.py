"""The one search analyzer: Traditional→Simplified folding, jieba segmentation, query parsing.

Everything that matches words (the browser index, Whoosh, the topic tagger) goes through here.
"""
