"""ESConv, PESConv and persona-extractor data: readers, featurization, and PESConv built with an extractor."""
