"""The paper's automatic evaluation (`pal-evaluate`), the persona extractor's and the crisis detector's."""
