"""DIGIT4SD courseware: exercises, data and tools for the Digital Government
Implementation Toolkit for Sustainable Development course.

>>> from digit4sd_widgets.data import load_survey
>>> load_survey(years=[2024], countries=["BGD"])[["iso3", "year"]].values.tolist()
[['BGD', 2024]]
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
